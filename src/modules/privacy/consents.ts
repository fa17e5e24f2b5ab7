import { randomUUID } from 'node:crypto';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/engine.js';
import { HavenError, notFound } from '../../platform/http/errors.js';

export const LAWFUL_BASES = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

export interface ConsentView {
  id: string;
  personId: string;
  purpose: string;
  lawfulBasis: LawfulBasis;
  /** Where it was given: "signup form v3", "checkbox on /pricing" — sealed under the person's key. */
  source: string;
  givenAt: string;
  withdrawnAt: string | null;
  recordedBy: string | null;
}

export interface ConsentInput {
  purpose: string;
  lawfulBasis: LawfulBasis;
  source: string;
  givenAt?: string | undefined;
}

interface ConsentRow {
  id: string;
  person_id: string;
  purpose: string;
  lawful_basis: LawfulBasis;
  source_sealed: Buffer;
  given_at: Date;
  withdrawn_at: Date | null;
  recorded_by: string | null;
}

const where = (teamId: string, id: string) => ({ teamId, table: 'consents', column: 'source', rowId: id });

/** Purposes are short machine names ("newsletter", "analytics") so ingest and exports can match them. */
export function checkPurpose(purpose: string, field: string): string {
  const p = purpose.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(p)) {
    throw new HavenError('invalid_purpose', 400, 'A purpose is a short name of letters, digits, ".", "_" or "-" (at most 64).', field);
  }
  return p;
}

export async function recordConsent(tx: Tx, keyring: Keyring, teamId: string, personId: string, input: ConsentInput, recordedBy: string | null): Promise<ConsentView> {
  const id = randomUUID();
  const purpose = checkPurpose(input.purpose, 'purpose');
  const givenAt = input.givenAt ? new Date(input.givenAt) : new Date();
  if (givenAt.getTime() > Date.now() + 5 * 60_000) throw new HavenError('invalid_time', 400, 'Consent cannot be given in the future.', 'givenAt');
  const sealed = await keyring.sealForSubject(tx, personId, where(teamId, id), Buffer.from(input.source, 'utf8'));
  await tx.query(
    `INSERT INTO consents (team_id, id, person_id, purpose, lawful_basis, source_sealed, given_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [teamId, id, personId, purpose, input.lawfulBasis, sealed, givenAt, recordedBy],
  );
  return { id, personId, purpose, lawfulBasis: input.lawfulBasis, source: input.source, givenAt: givenAt.toISOString(), withdrawnAt: null, recordedBy };
}

export async function withdrawConsent(tx: Tx, teamId: string, personId: string, consentId: string): Promise<void> {
  const r = await tx.query<{ withdrawn_at: Date | null }>(`SELECT withdrawn_at FROM consents WHERE team_id = $1 AND person_id = $2 AND id = $3 FOR UPDATE`, [
    teamId,
    personId,
    consentId,
  ]);
  if (!r.rows[0]) throw notFound('consent');
  if (r.rows[0].withdrawn_at) throw new HavenError('already_withdrawn', 409, 'This consent was already withdrawn.');
  await tx.query(`UPDATE consents SET withdrawn_at = now() WHERE team_id = $1 AND id = $2`, [teamId, consentId]);
}

/** Every consent of a person, newest first, withdrawn ones included (they are part of the record). */
export async function listConsents(tx: Tx, keyring: Keyring, teamId: string, personId: string): Promise<ConsentView[]> {
  const r = await tx.query<ConsentRow>(
    `SELECT id, person_id, purpose, lawful_basis, source_sealed, given_at, withdrawn_at, recorded_by FROM consents
      WHERE team_id = $1 AND person_id = $2 ORDER BY given_at DESC, id DESC`,
    [teamId, personId],
  );
  const out: ConsentView[] = [];
  for (const c of r.rows) {
    const source = await keyring.openForSubject(tx, personId, where(teamId, c.id), Buffer.from(c.source_sealed));
    if (source === null) continue;
    out.push({
      id: c.id,
      personId: c.person_id,
      purpose: c.purpose,
      lawfulBasis: c.lawful_basis,
      source: source.toString('utf8'),
      givenAt: c.given_at.toISOString(),
      withdrawnAt: c.withdrawn_at?.toISOString() ?? null,
      recordedBy: c.recorded_by,
    });
  }
  return out;
}

/**
 * People's merge step (registered in index.ts): the source's consents, withdrawn ones included,
 * become the target's — the record of what the person allowed must survive learning who they are.
 * Each `source` is re-sealed under the target's key (listing opens it with that key) for the same
 * row, so its associated data (team, table, column, row) is unchanged.
 */
export async function moveConsents(tx: Tx, keyring: Keyring, teamId: string, fromId: string, intoId: string): Promise<void> {
  const r = await tx.query<{ id: string; source_sealed: Buffer }>(`SELECT id, source_sealed FROM consents WHERE team_id = $1 AND person_id = $2 FOR UPDATE`, [
    teamId,
    fromId,
  ]);
  for (const c of r.rows) {
    const source = await keyring.openForSubject(tx, fromId, where(teamId, c.id), Buffer.from(c.source_sealed));
    // Only an erased person lacks a key, and an erased person is never merged.
    if (source === null) throw new Error('A consent to move is sealed under a subject key that no longer exists.');
    const sealed = await keyring.sealForSubject(tx, intoId, where(teamId, c.id), source);
    await tx.query(`UPDATE consents SET person_id = $3, source_sealed = $4 WHERE team_id = $1 AND id = $2`, [teamId, c.id, intoId, sealed]);
  }
}

/** Which of these people hold an active (not withdrawn) consent for `purpose`. */
export async function peopleWithConsent(tx: Tx, teamId: string, personIds: readonly string[], purpose: string): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const r = await tx.query<{ person_id: string }>(
    `SELECT DISTINCT person_id FROM consents WHERE team_id = $1 AND person_id = ANY($2::uuid[]) AND purpose = $3 AND withdrawn_at IS NULL`,
    [teamId, personIds, purpose],
  );
  return new Set(r.rows.map((x) => x.person_id));
}

/** Purposes with consents on record, with counts (for the record of processing). */
export async function consentPurposes(tx: Tx, teamId: string): Promise<{ purpose: string; lawfulBasis: string; active: number; withdrawn: number }[]> {
  const r = await tx.query<{ purpose: string; lawful_basis: string; active: number; withdrawn: number }>(
    `SELECT purpose, lawful_basis, count(*) FILTER (WHERE withdrawn_at IS NULL)::int AS active, count(*) FILTER (WHERE withdrawn_at IS NOT NULL)::int AS withdrawn
       FROM consents WHERE team_id = $1 GROUP BY purpose, lawful_basis ORDER BY purpose, lawful_basis`,
    [teamId],
  );
  return r.rows.map((x) => ({ purpose: x.purpose, lawfulBasis: x.lawful_basis, active: x.active, withdrawn: x.withdrawn }));
}
