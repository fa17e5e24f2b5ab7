import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/engine.js';
import { type IdentityKind, type PersonView, normaliseIdentity } from '../people/index.js';

export type SuppressionReason = 'unsubscribe' | 'objection' | 'erasure';
export type SuppressionSource = 'link' | 'team' | 'operator';

export interface Identity {
  kind: IdentityKind;
  /** Normalised (normaliseIdentity). */
  value: string;
}

export interface SuppressionState {
  kind: IdentityKind;
  value: string;
  suppressed: boolean;
  reason: SuppressionReason | null;
  since: string | null;
}

/**
 * The objection list: identities whose events are dropped at ingest and who must not be sent
 * marketing email. Keyed by a full-length HMAC of the normalised identity under a per-team key
 * (not the truncated blind index, whose deliberate coincidences would silence other people), so the
 * list never holds the value and survives the person's erasure without keeping their data.
 */
export async function identityHash(keyring: Keyring, tx: Tx, teamId: string, identity: Identity): Promise<Buffer> {
  return keyring.blindIndexes.index(tx, teamId, `suppression.${identity.kind}`, identity.value, 256);
}

export function identitiesOf(person: Pick<PersonView, 'emails' | 'phones' | 'externalIds' | 'anonymousIds'>): Identity[] {
  return [
    ...person.emails.map((value) => ({ kind: 'email' as const, value })),
    ...person.phones.map((value) => ({ kind: 'phone' as const, value })),
    ...person.externalIds.map((value) => ({ kind: 'external_id' as const, value })),
    ...person.anonymousIds.map((value) => ({ kind: 'anonymous_id' as const, value })),
  ];
}

/** Add identities to the list (already-listed ones keep their first reason). Returns how many were new. */
export async function suppress(
  keyring: Keyring,
  tx: Tx,
  teamId: string,
  identities: readonly Identity[],
  reason: SuppressionReason,
  source: SuppressionSource,
): Promise<number> {
  let added = 0;
  for (const identity of identities) {
    const hash = await identityHash(keyring, tx, teamId, identity);
    const r = await tx.query(
      `INSERT INTO suppressions (team_id, kind, identity_hash, reason, source) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [teamId, identity.kind, hash, reason, source],
    );
    added += r.rowCount;
  }
  return added;
}

/** Which of these identities are suppressed, as `kind|value` keys. One query for the lot. */
export async function suppressedAmong(keyring: Keyring, tx: Tx, teamId: string, identities: readonly Identity[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (identities.length === 0) return out;
  const byHash = new Map<string, string>();
  for (const identity of identities) {
    byHash.set(`${identity.kind}|${(await identityHash(keyring, tx, teamId, identity)).toString('hex')}`, `${identity.kind}|${identity.value}`);
  }
  const r = await tx.query<{ kind: string; identity_hash: Buffer }>(
    `SELECT kind, identity_hash FROM suppressions WHERE team_id = $1 AND identity_hash = ANY($2::bytea[])`,
    [teamId, [...byHash.keys()].map((k) => Buffer.from(k.slice(k.indexOf('|') + 1), 'hex'))],
  );
  for (const row of r.rows) {
    const key = byHash.get(`${row.kind}|${Buffer.from(row.identity_hash).toString('hex')}`);
    if (key) out.add(key);
  }
  return out;
}

/** The suppression state of each identity of a person, for their profile and their export. */
export async function suppressionStateOf(keyring: Keyring, tx: Tx, teamId: string, person: PersonView): Promise<SuppressionState[]> {
  const out: SuppressionState[] = [];
  for (const identity of identitiesOf(person)) {
    const hash = await identityHash(keyring, tx, teamId, identity);
    const r = await tx.query<{ reason: SuppressionReason; created_at: Date }>(
      `SELECT reason, created_at FROM suppressions WHERE team_id = $1 AND kind = $2 AND identity_hash = $3`,
      [teamId, identity.kind, hash],
    );
    const row = r.rows[0];
    out.push({ ...identity, suppressed: Boolean(row), reason: row?.reason ?? null, since: row ? row.created_at.toISOString() : null });
  }
  return out;
}

/**
 * Lift a suppression. Only the person (their unsubscribe link) or an operator (CLI) may: the app
 * role cannot delete from the list, so `tx` must be an owner transaction; the team is named in
 * the statement because no tenant scope applies there.
 */
export async function liftSuppression(tx: Tx, teamId: string, kind: IdentityKind, hash: Buffer): Promise<boolean> {
  const r = await tx.query(`DELETE FROM suppressions WHERE team_id = $1 AND kind = $2 AND identity_hash = $3`, [teamId, kind, hash]);
  return r.rowCount > 0;
}

export function identityFromInput(kind: IdentityKind, raw: string, field: string): Identity {
  return { kind, value: normaliseIdentity(kind, raw, field) };
}

/** Add one identity known only by its hash (an unsubscribe link carries no address). */
export async function suppressHash(tx: Tx, teamId: string, kind: IdentityKind, hash: Buffer, reason: SuppressionReason, source: SuppressionSource): Promise<boolean> {
  const r = await tx.query(`INSERT INTO suppressions (team_id, kind, identity_hash, reason, source) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
    teamId,
    kind,
    hash,
    reason,
    source,
  ]);
  return r.rowCount > 0;
}

export async function isHashSuppressed(tx: Tx, teamId: string, kind: IdentityKind, hash: Buffer): Promise<boolean> {
  const r = await tx.query(`SELECT 1 FROM suppressions WHERE team_id = $1 AND kind = $2 AND identity_hash = $3`, [teamId, kind, hash]);
  return r.rowCount > 0;
}
