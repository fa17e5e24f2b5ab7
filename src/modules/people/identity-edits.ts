import type { AuditEvent } from '../../platform/audit/index.js';
import type { Tx } from '../../platform/db/engine.js';
import type { HavenContext } from '../../platform/module.js';
import type { PersonView } from './person-view.js';

/** A team member's (or secret key's) edit that gave a person identities: who, and in which request. */
export interface IdentityEdit {
  teamId: string;
  /** The person after the edit, and (a rectification) before it: an identity it replaced may be the one that objected. */
  person: PersonView;
  before?: PersonView | undefined;
  actor: AuditEvent['actor'];
  requestId: string;
}

/**
 * A module's part in every edit of a person's identities through the API (adding a person,
 * rectifying one), run in the edit's transaction. Privacy registers one: an objection is the
 * person's, so identities they gain join the suppression list. Ingest never runs these: its
 * privacy gate refuses any event that carries a suppressed identity before it changes a person.
 */
export type IdentityEditStep = (tx: Tx, ctx: Pick<HavenContext, 'keyring' | 'config'>, edit: IdentityEdit) => Promise<void>;

const steps = new Set<IdentityEditStep>();

/** Register a module's step (once per process: registering the same function again is a no-op). */
export function onIdentityEdit(step: IdentityEditStep): void {
  steps.add(step);
}

export async function afterIdentityEdit(tx: Tx, ctx: Pick<HavenContext, 'keyring' | 'config'>, edit: IdentityEdit): Promise<void> {
  for (const step of steps) await step(tx, ctx, edit);
}
