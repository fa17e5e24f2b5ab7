import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/engine.js';
import { getPerson } from './get-person.js';
import { IDENTITY_FIELDS, IDENTITY_KINDS } from './identities.js';
import { addIdentity } from './person-identities.js';
import { lockForMerge } from './lock-people.js';
import { PROPERTY_LIMITS } from './properties.js';
import type { PeopleContext } from './sealed-fields.js';
import { touchPerson, updatePerson } from './update-person.js';

/** Called during a merge, before the source person is deleted: other modules move their rows. */
export type OnMerge = (fromId: string, intoId: string) => Promise<void>;

/**
 * A module's part in every merge, whoever asks for it (ingest or any other caller): move its rows
 * of `fromId` to `intoId` — re-sealing under the target's key what it sealed under the source's —
 * before the source's row goes and its foreign keys cascade. Modules that build on people
 * register one (privacy: consents), so people never touches their tables and a caller cannot
 * forget them, as it could forget an `OnMerge` argument.
 */
export type MergeStep = (tx: Tx, keyring: Keyring, teamId: string, fromId: string, intoId: string) => Promise<void>;

const mergeSteps = new Set<MergeStep>();

/** Register a module's merge step (once per process: registering the same function again is a no-op). */
export function onPeopleMerge(step: MergeStep): void {
  mergeSteps.add(step);
}

/** Every subject key that holds this person's data: their own and those of people merged into them. */
export async function subjectsOf(tx: Tx, teamId: string, id: string): Promise<string[]> {
  const r = await tx.query<{ subject_id: string }>(`SELECT subject_id FROM person_subjects WHERE team_id = $1 AND person_id = $2`, [teamId, id]);
  return [id, ...r.rows.map((x) => x.subject_id)];
}

/**
 * Merge `fromId` into `intoId` (an anonymous visitor identified as a known person): identities
 * (aliases kept), notes, name/company where the target has none and properties the target lacks
 * move over, re-sealed under the target's key. The source's subject keys become the target's,
 * so whatever other modules sealed under them (events) stays readable and is erased with the
 * target. `moveRows` lets other modules move their own rows first (their foreign keys cascade).
 *
 * Every table that references people, and what a merge does with the source's rows:
 * - person_identities: re-added to the target (sealed under its key); the source's cascade.
 * - person_notes: re-sealed under the target's key, same ids (the associated data names the row).
 * - person_subjects: the source's subject keys (own and earlier merged) become the target's.
 * - person_name_tokens: dropped on purpose — derived from the name; `updatePerson` indexes the
 *   name the target keeps.
 * - events (tracking): moved by the caller's `moveRows`; they stay sealed under the source's
 *   subject key, which now belongs to the target (person_subjects).
 * - consents (privacy): moved and re-sealed by the step privacy registers with `onPeopleMerge`.
 * (privacy_requests name a person by id without a foreign key: receipts of duties done for the
 * source, kept as they are, like after an erasure.)
 */
export async function mergePeople(ctx: PeopleContext, tx: Tx, teamId: string, fromId: string, intoId: string, moveRows?: OnMerge): Promise<void> {
  if (fromId === intoId) return;
  await lockForMerge(tx, teamId, [fromId, intoId]);
  const from = await getPerson(ctx, tx, teamId, fromId, { lock: true });
  const into = await getPerson(ctx, tx, teamId, intoId, { lock: true });
  const notes = await tx.query<{ id: string; body_sealed: Buffer; author_id: string | null; created_at: Date }>(
    `SELECT id, body_sealed, author_id, created_at FROM person_notes WHERE team_id = $1 AND person_id = $2`,
    [teamId, fromId],
  );
  const sources = await subjectsOf(tx, teamId, fromId);
  const fromKey = (await ctx.keyring.subjectKeysFor(tx, teamId, [fromId], { create: false })).get(fromId);
  await moveRows?.(fromId, intoId);
  for (const step of mergeSteps) await step(tx, ctx.keyring, teamId, fromId, intoId);
  await tx.query(`DELETE FROM people WHERE team_id = $1 AND id = $2`, [teamId, fromId]);
  for (const subject of sources) {
    await tx.query(`INSERT INTO person_subjects (team_id, person_id, subject_id) VALUES ($1, $2, $3) ON CONFLICT (team_id, subject_id) DO UPDATE SET person_id = excluded.person_id`, [
      teamId,
      intoId,
      subject,
    ]);
  }
  for (const kind of IDENTITY_KINDS) {
    const field = IDENTITY_FIELDS[kind];
    const have = into[field];
    for (const value of from[field]) {
      if (!have.includes(value)) await addIdentity(ctx, tx, teamId, intoId, kind, value, have.length + from[field].indexOf(value));
    }
  }
  if (fromKey) {
    for (const n of notes.rows) {
      const body = ctx.keyring.openWith(fromKey, { teamId, table: 'person_notes', column: 'body', rowId: n.id }, Buffer.from(n.body_sealed));
      const sealed = await ctx.keyring.sealForSubject(tx, intoId, { teamId, table: 'person_notes', column: 'body', rowId: n.id }, body);
      await tx.query(`INSERT INTO person_notes (team_id, id, person_id, body_sealed, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
        teamId,
        n.id,
        intoId,
        sealed,
        n.author_id,
        n.created_at,
      ]);
    }
  }
  // The target's properties win; the source's fill in while the limit allows.
  const properties = { ...into.properties };
  for (const [key, value] of Object.entries(from.properties)) {
    if (Object.keys(properties).length >= PROPERTY_LIMITS.maxKeys) break;
    if (!Object.hasOwn(properties, key)) properties[key] = value;
  }
  const { fields } = await updatePerson(ctx, tx, teamId, intoId, {
    name: into.name ?? from.name,
    company: into.company ?? from.company,
    properties,
  });
  // Identities and rows moved in change the person even when no field of the profile did.
  if (fields.length === 0) await touchPerson(tx, teamId, intoId);
}
