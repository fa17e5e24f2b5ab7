import type { Keyring } from '../../platform/crypto/keyring.js';
import { INDEX_BITS, namePrefixes } from '../../platform/crypto/blind-index.js';
import type { Tx } from '../../platform/db/engine.js';
import type { IdentityKind } from './identities.js';
import type { OpenedIdentities } from './opened-identities.js';

/** What every use case of the people module works with: one per `PeopleService` (the cache is shared per keyring). */
export interface PeopleContext {
  keyring: Keyring;
  /** Identity values already decrypted, by identity row (see `findIdentities`). */
  openedIdentities: OpenedIdentities;
}

const FIELD_OF_COLUMN = { name_sealed: 'name', company_sealed: 'company', properties_sealed: 'properties' } as const;

/** The associated data a sealed value is bound to: its team, table, column and row. */
export function where(teamId: string, table: string, column: string, rowId: string) {
  return { teamId, table, column, rowId };
}

export async function sealText(
  ctx: PeopleContext,
  tx: Tx,
  teamId: string,
  personId: string,
  column: keyof typeof FIELD_OF_COLUMN,
  value: string,
): Promise<Buffer> {
  return ctx.keyring.sealForSubject(tx, personId, where(teamId, 'people', column, personId), Buffer.from(value, 'utf8'));
}

export async function openText(
  ctx: PeopleContext,
  tx: Tx,
  teamId: string,
  personId: string,
  table: string,
  column: string,
  rowId: string,
  sealed: Buffer | null,
): Promise<string | null> {
  if (!sealed) return null;
  const plain = await ctx.keyring.openForSubject(tx, personId, where(teamId, table, column, rowId), Buffer.from(sealed));
  return plain ? plain.toString('utf8') : null;
}

/** Each kind's index field, spelled once (ingest indexes every event's ids: no name built per call). */
const IDENTITY_FIELDS: Readonly<Record<IdentityKind, string>> = {
  email: 'person_identities.email',
  phone: 'person_identities.phone',
  external_id: 'person_identities.external_id',
  anonymous_id: 'person_identities.anonymous_id',
};

export async function identityIndex(ctx: PeopleContext, tx: Tx, teamId: string, kind: IdentityKind, value: string): Promise<Buffer> {
  return ctx.keyring.blindIndexes.index(tx, teamId, IDENTITY_FIELDS[kind], value, INDEX_BITS.identity);
}

export async function nameTokens(ctx: PeopleContext, tx: Tx, teamId: string, name: string | null): Promise<Buffer[]> {
  if (!name) return [];
  const tokens: Buffer[] = [];
  for (const prefix of namePrefixes(name)) tokens.push(await ctx.keyring.blindIndexes.index(tx, teamId, 'people.name', prefix, INDEX_BITS.nameToken));
  return tokens;
}

/** Replace a person's name tokens with those of `name` (none for no name). */
export async function indexName(ctx: PeopleContext, tx: Tx, teamId: string, personId: string, name: string | null): Promise<void> {
  await tx.query(`DELETE FROM person_name_tokens WHERE team_id = $1 AND person_id = $2`, [teamId, personId]);
  const tokens = await nameTokens(ctx, tx, teamId, name);
  if (tokens.length === 0) return;
  await tx.query(
    `INSERT INTO person_name_tokens (team_id, token, person_id) SELECT $1, t, $2 FROM unnest($3::bytea[]) AS t ON CONFLICT DO NOTHING`,
    [teamId, personId, tokens],
  );
}
