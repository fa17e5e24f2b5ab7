import { randomUUID } from 'node:crypto';
import type { Keyring } from '../../platform/crypto/keyring.js';
import { INDEX_BITS, foldName, namePrefixes } from '../../platform/crypto/blind-index.js';
import type { Tx } from '../../platform/db/engine.js';
import { HavenError, notFound } from '../../platform/http/errors.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../platform/http/time-cursor.js';
import { IDENTITY_FIELDS, IDENTITY_KINDS, type IdentityKind, normaliseIdentity } from './identities.js';
import { PROPERTY_LIMITS, type Properties, checkProperties } from './properties.js';

export interface PersonView {
  id: string;
  name: string | null;
  company: string | null;
  emails: string[];
  phones: string[];
  externalIds: string[];
  anonymousIds: string[];
  properties: Properties;
  createdAt: string;
  updatedAt: string;
}

export interface PersonInput {
  name?: string | null | undefined;
  company?: string | null | undefined;
  emails?: string[] | undefined;
  phones?: string[] | undefined;
  externalIds?: string[] | undefined;
  anonymousIds?: string[] | undefined;
  properties?: Properties | undefined;
}

/** Called during a merge, before the source person is deleted: other modules move their rows. */
export type OnMerge = (fromId: string, intoId: string) => Promise<void>;

export interface PersonPatch extends PersonInput {
  unsetProperties?: string[] | undefined;
}

interface PersonRow {
  id: string;
  name_sealed: Buffer | null;
  company_sealed: Buffer | null;
  properties_sealed: Buffer | null;
  created_at: Date;
  updated_at: Date;
}

const PERSON_COLUMNS = `id, name_sealed, company_sealed, properties_sealed, created_at, updated_at`;
const FIELD_OF_COLUMN = { name_sealed: 'name', company_sealed: 'company', properties_sealed: 'properties' } as const;

/** People of one team: every personal field sealed under the person's subject key. */
export class PeopleService {
  /** Identity values already decrypted, by identity row (see `findIdentities`). */
  private readonly openedIdentities = new OpenedIdentities();

  constructor(private readonly keyring: Keyring) {}

  private where(teamId: string, table: string, column: string, rowId: string) {
    return { teamId, table, column, rowId };
  }

  private async sealText(tx: Tx, teamId: string, personId: string, column: keyof typeof FIELD_OF_COLUMN, value: string): Promise<Buffer> {
    return this.keyring.sealForSubject(tx, personId, this.where(teamId, 'people', column, personId), Buffer.from(value, 'utf8'));
  }

  private async openText(tx: Tx, teamId: string, personId: string, table: string, column: string, rowId: string, sealed: Buffer | null): Promise<string | null> {
    if (!sealed) return null;
    const plain = await this.keyring.openForSubject(tx, personId, this.where(teamId, table, column, rowId), Buffer.from(sealed));
    return plain ? plain.toString('utf8') : null;
  }

  private async identityIndex(tx: Tx, teamId: string, kind: IdentityKind, value: string): Promise<Buffer> {
    return this.keyring.blindIndexes.index(tx, teamId, `person_identities.${kind}`, value, INDEX_BITS.identity);
  }

  /**
   * The person whose identity of `kind` is exactly `value` (normalised), if any: blind-index
   * candidates verified by decrypting. An identity has one holder per team (claims are locked
   * and checked), so this is the one-item form of `findIdentities`.
   */
  async findIdentity(tx: Tx, teamId: string, kind: IdentityKind, value: string): Promise<string | undefined> {
    return (await this.findIdentities(tx, teamId, [{ kind, value }])).get(`${kind}|${value}`);
  }

  /**
   * Bulk form of `findIdentity`: who holds each of these (kind, normalised value) identities, with
   * one index query and one key fetch for the whole list. Keys of the map are `kind|value`.
   */
  async findIdentities(tx: Tx, teamId: string, wanted: readonly { kind: IdentityKind; value: string }[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (wanted.length === 0) return found;
    const want = new Set(wanted.map((w) => `${w.kind}|${w.value}`));
    const indexes = new Map<string, Buffer>();
    for (const w of wanted) {
      const index = await this.identityIndex(tx, teamId, w.kind, w.value);
      indexes.set(`${w.kind}|${index.toString('hex')}`, index);
    }
    const candidates = await tx.query<{ id: string; person_id: string; kind: IdentityKind; value_sealed: Buffer; blind_index: Buffer }>(
      `SELECT id, person_id, kind, value_sealed, blind_index FROM person_identities WHERE team_id = $1 AND blind_index = ANY($2::bytea[])`,
      [teamId, [...new Set([...indexes.values()].map((b) => b.toString('hex')))].map((h) => Buffer.from(h, 'hex'))],
    );
    const relevant = candidates.rows.filter((c) => indexes.has(`${c.kind}|${Buffer.from(c.blind_index).toString('hex')}`));
    const toOpen = relevant.filter((c) => this.openedIdentities.valueOf(c.id, c.value_sealed) === undefined);
    const keys = await this.keyring.subjectKeysFor(tx, teamId, toOpen.map((c) => c.person_id), { create: false });
    for (const c of toOpen) {
      const key = keys.get(c.person_id);
      if (!key) continue;
      const sealed = Buffer.from(c.value_sealed);
      this.openedIdentities.remember(c.id, sealed, this.keyring.openWith(key, this.where(teamId, 'person_identities', 'value', c.id), sealed).toString('utf8'));
    }
    for (const c of relevant) {
      const value = this.openedIdentities.valueOf(c.id, c.value_sealed);
      if (value !== undefined && want.has(`${c.kind}|${value}`)) found.set(`${c.kind}|${value}`, c.person_id);
    }
    return found;
  }

  /** Normalise every identity of the input, refusing duplicates within it and within the team. */
  private async checkIdentities(tx: Tx, teamId: string, input: PersonInput, self: string | null): Promise<Map<IdentityKind, string[]>> {
    const out = new Map<IdentityKind, string[]>();
    for (const kind of IDENTITY_KINDS) {
      const field = IDENTITY_FIELDS[kind];
      const raw = input[field];
      if (raw === undefined) continue;
      const values: string[] = [];
      for (const [i, r] of raw.entries()) {
        const value = normaliseIdentity(kind, r, `${field}.${i}`);
        if (values.includes(value)) throw new HavenError('duplicate_identity', 409, 'The same identity is listed twice.', `${field}.${i}`);
        await this.lockIdentities(tx, teamId, [`${kind}|${value}`]);
        const owner = await this.findIdentity(tx, teamId, kind, value);
        if (owner !== undefined && owner !== self) {
          throw new HavenError('duplicate_identity', 409, 'Another person in this team already has this identity.', `${field}.${i}`);
        }
        values.push(value);
      }
      out.set(kind, values);
    }
    return out;
  }

  private async addIdentity(tx: Tx, teamId: string, personId: string, kind: IdentityKind, value: string, position: number): Promise<void> {
    const id = randomUUID();
    const sealed = await this.keyring.sealForSubject(tx, personId, this.where(teamId, 'person_identities', 'value', id), Buffer.from(value, 'utf8'));
    await tx.query(
      `INSERT INTO person_identities (team_id, id, person_id, kind, value_sealed, blind_index, position) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [teamId, id, personId, kind, sealed, await this.identityIndex(tx, teamId, kind, value), position],
    );
  }

  private async indexName(tx: Tx, teamId: string, personId: string, name: string | null): Promise<void> {
    await tx.query(`DELETE FROM person_name_tokens WHERE team_id = $1 AND person_id = $2`, [teamId, personId]);
    const tokens = await this.nameTokens(tx, teamId, name);
    if (tokens.length === 0) return;
    await tx.query(
      `INSERT INTO person_name_tokens (team_id, token, person_id) SELECT $1, t, $2 FROM unnest($3::bytea[]) AS t ON CONFLICT DO NOTHING`,
      [teamId, personId, tokens],
    );
  }

  async create(tx: Tx, teamId: string, input: PersonInput): Promise<PersonView> {
    const [id] = await this.importMany(tx, teamId, [input], () => '');
    return this.get(tx, teamId, id!);
  }

  /**
   * Add many people in one go (imports, and the one-person create): identities normalised and
   * checked for duplicates within the batch and against the team (index candidates decrypted),
   * subject keys made in one insert, every table written with one multi-row insert.
   * `fieldPrefix(i)` names input i in errors (e.g. "people.3.").
   */
  async importMany(tx: Tx, teamId: string, inputs: readonly PersonInput[], fieldPrefix = (i: number) => `people.${i}.`): Promise<string[]> {
    const ids = inputs.map(() => randomUUID());
    const identities: { person: number; kind: IdentityKind; value: string; position: number; index: Buffer }[] = [];
    const claimed = new Map<string, string>();
    for (const [i, input] of inputs.entries()) {
      for (const kind of IDENTITY_KINDS) {
        const field = IDENTITY_FIELDS[kind];
        for (const [j, raw] of (input[field] ?? []).entries()) {
          const at = `${fieldPrefix(i)}${field}.${j}`;
          const value = normaliseIdentity(kind, raw, at);
          const key = `${kind}|${value}`;
          if (claimed.has(key)) throw new HavenError('duplicate_identity', 409, 'The same identity is listed twice.', at);
          claimed.set(key, at);
          identities.push({ person: i, kind, value, position: j, index: await this.identityIndex(tx, teamId, kind, value) });
        }
      }
      if (input.properties) checkProperties(input.properties, `${fieldPrefix(i)}properties`);
    }
    await this.lockIdentities(tx, teamId, [...claimed.keys()]);
    const held = await this.findIdentities(tx, teamId, identities);
    for (const [claim, at] of claimed) {
      if (held.has(claim)) throw new HavenError('duplicate_identity', 409, 'Another person in this team already has this identity.', at);
    }
    const keys = await this.keyring.subjectKeysFor(tx, teamId, ids, { create: true });
    const sealText = (personId: string, table: string, column: string, rowId: string, text: string) =>
      this.keyring.sealWith(keys.get(personId)!, this.where(teamId, table, column, rowId), Buffer.from(text, 'utf8'));
    await tx.query(
      `INSERT INTO people (team_id, id, name_sealed, company_sealed, properties_sealed)
       SELECT $1, id, n, c, p FROM unnest($2::uuid[], $3::bytea[], $4::bytea[], $5::bytea[]) AS t(id, n, c, p)`,
      [
        teamId,
        ids,
        inputs.map((x, i) => (x.name ? sealText(ids[i]!, 'people', 'name_sealed', ids[i]!, x.name) : null)),
        inputs.map((x, i) => (x.company ? sealText(ids[i]!, 'people', 'company_sealed', ids[i]!, x.company) : null)),
        inputs.map((x, i) => sealText(ids[i]!, 'people', 'properties_sealed', ids[i]!, JSON.stringify(x.properties ?? {}))),
      ],
    );
    if (identities.length > 0) {
      const identityIds = identities.map(() => randomUUID());
      await tx.query(
        `INSERT INTO person_identities (team_id, id, person_id, kind, value_sealed, blind_index, position)
         SELECT $1, id, p, k, v, b, n FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::bytea[], $6::bytea[], $7::int[]) AS t(id, p, k, v, b, n)`,
        [
          teamId,
          identityIds,
          identities.map((x) => ids[x.person]!),
          identities.map((x) => x.kind),
          identities.map((x, n) => sealText(ids[x.person]!, 'person_identities', 'value', identityIds[n]!, x.value)),
          identities.map((x) => x.index),
          identities.map((x) => x.position),
        ],
      );
    }
    const tokenPeople: string[] = [];
    const tokens: Buffer[] = [];
    for (const [i, input] of inputs.entries()) {
      for (const token of await this.nameTokens(tx, teamId, input.name ?? null)) {
        tokenPeople.push(ids[i]!);
        tokens.push(token);
      }
    }
    if (tokens.length > 0) {
      await tx.query(
        `INSERT INTO person_name_tokens (team_id, token, person_id) SELECT $1, t, p FROM unnest($2::bytea[], $3::uuid[]) AS x(t, p) ON CONFLICT DO NOTHING`,
        [teamId, tokens, tokenPeople],
      );
    }
    return ids;
  }

  /** Serialise concurrent claims of the same identities in a team (sorted: no lock-order deadlock). */
  async lockIdentities(tx: Tx, teamId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k ORDER BY k`, [
      keys.map((k) => `haven-identity:${teamId}:${k}`).sort(),
    ]);
  }

  private async nameTokens(tx: Tx, teamId: string, name: string | null): Promise<Buffer[]> {
    if (!name) return [];
    const tokens: Buffer[] = [];
    for (const prefix of namePrefixes(name)) tokens.push(await this.keyring.blindIndexes.index(tx, teamId, 'people.name', prefix, INDEX_BITS.nameToken));
    return tokens;
  }

  /** Rectify: returns the person after the change and the names of the fields that changed. */
  async update(tx: Tx, teamId: string, id: string, patch: PersonPatch): Promise<{ person: PersonView; fields: string[] }> {
    const current = await this.get(tx, teamId, id, { lock: true });
    const identities = await this.checkIdentities(tx, teamId, patch, id);
    const fields: string[] = [];
    const sets: string[] = [];
    const params: unknown[] = [teamId, id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    // Every check before the first write: a refused update changes nothing.
    let merged: Properties | null = null;
    if (patch.properties !== undefined || patch.unsetProperties !== undefined) {
      merged = { ...current.properties, ...(patch.properties ? checkProperties(patch.properties) : {}) };
      for (const key of patch.unsetProperties ?? []) delete merged[key];
      checkProperties(merged);
    }
    if (patch.name !== undefined && patch.name !== current.name) {
      set('name_sealed', patch.name ? await this.sealText(tx, teamId, id, 'name_sealed', patch.name) : null);
      await this.indexName(tx, teamId, id, patch.name);
      fields.push('name');
    }
    if (patch.company !== undefined && patch.company !== current.company) {
      set('company_sealed', patch.company ? await this.sealText(tx, teamId, id, 'company_sealed', patch.company) : null);
      fields.push('company');
    }
    if (merged) {
      const changed = [...new Set([...Object.keys(merged), ...Object.keys(current.properties)])].filter(
        (k) => JSON.stringify(merged[k]) !== JSON.stringify(current.properties[k]),
      );
      if (changed.length > 0) {
        set('properties_sealed', await this.sealText(tx, teamId, id, 'properties_sealed', JSON.stringify(merged)));
        fields.push(...changed.map((k) => `properties.${k}`));
      }
    }
    for (const [kind, values] of identities) {
      const field = IDENTITY_FIELDS[kind];
      const existing = await this.identitiesOf(tx, teamId, [id], kind);
      const keep = new Set(values);
      let changed = false;
      for (const e of existing) {
        if (!keep.has(e.value)) {
          await tx.query(`DELETE FROM person_identities WHERE team_id = $1 AND id = $2`, [teamId, e.id]);
          this.openedIdentities.forget(e.id);
          changed = true;
        }
      }
      // The list's new order is the order given: kept identities move, new ones are added in place.
      const have = new Map(existing.map((e) => [e.value, e]));
      for (const [position, v] of values.entries()) {
        const kept = have.get(v);
        if (!kept) {
          await this.addIdentity(tx, teamId, id, kind, v, position);
          changed = true;
        } else if (kept.position !== position) {
          await tx.query(`UPDATE person_identities SET position = $3 WHERE team_id = $1 AND id = $2`, [teamId, kept.id, position]);
          changed = true;
        }
      }
      if (changed) fields.push(field);
    }
    if (fields.length > 0) {
      sets.push('updated_at = now()');
      await tx.query(`UPDATE people SET ${sets.join(', ')} WHERE team_id = $1 AND id = $2`, params);
    }
    return { person: await this.get(tx, teamId, id), fields };
  }

  async get(tx: Tx, teamId: string, id: string, options: { lock?: boolean } = {}): Promise<PersonView> {
    const r = await tx.query<PersonRow>(
      `SELECT ${PERSON_COLUMNS} FROM people WHERE team_id = $1 AND id = $2 AND erased_at IS NULL${options.lock ? ' FOR UPDATE' : ''}`,
      [teamId, id],
    );
    if (!r.rows[0]) throw notFound('person');
    return (await this.views(tx, teamId, r.rows))[0]!;
  }

  /** 404 unless the person exists in this team (for routes about a person's notes, activity…). */
  async requireExists(tx: Tx, teamId: string, id: string): Promise<void> {
    const found = await tx.query(`SELECT 1 FROM people WHERE team_id = $1 AND id = $2 AND erased_at IS NULL`, [teamId, id]);
    if (found.rowCount === 0) throw notFound('person');
  }

  /** Every subject key that holds this person's data: their own and those of people merged into them. */
  async subjectsOf(tx: Tx, teamId: string, id: string): Promise<string[]> {
    const r = await tx.query<{ subject_id: string }>(`SELECT subject_id FROM person_subjects WHERE team_id = $1 AND person_id = $2`, [teamId, id]);
    return [id, ...r.rows.map((x) => x.subject_id)];
  }

  /**
   * First step of an erasure (I3), short whatever the person's history: delete every subject key
   * of theirs (from now on nothing sealed under them decrypts, here or in any backup), then the
   * rows that make them findable — identities, name tokens, notes, merge links — and hide the
   * person. What remains (their events) is undecryptable and is deleted later by `purgeErased`.
   * Returns the subject ids shredded and counts of what went.
   */
  async shred(tx: Tx, teamId: string, id: string): Promise<{ subjectIds: string[]; counts: Record<string, number> }> {
    await this.get(tx, teamId, id, { lock: true });
    const subjectIds = await this.subjectsOf(tx, teamId, id);
    let keys = 0;
    for (const subject of subjectIds) if (await this.keyring.shredSubject(tx, teamId, subject)) keys++;
    const counts: Record<string, number> = { subjectKeys: keys };
    const identities = await tx.query<{ id: string }>(`DELETE FROM person_identities WHERE team_id = $1 AND person_id = $2 RETURNING id`, [teamId, id]);
    for (const row of identities.rows) this.openedIdentities.forget(row.id);
    counts.identities = identities.rowCount;
    for (const [table, name] of [['person_name_tokens', 'nameTokens'], ['person_notes', 'notes'], ['person_subjects', 'mergedProfiles']] as const) {
      counts[name] = (await tx.query(`DELETE FROM ${table} WHERE team_id = $1 AND person_id = $2`, [teamId, id])).rowCount;
    }
    await tx.query(
      `UPDATE people SET name_sealed = NULL, company_sealed = NULL, properties_sealed = NULL, erased_at = now(), updated_at = now() WHERE team_id = $1 AND id = $2`,
      [teamId, id],
    );
    counts.profile = 1;
    return { subjectIds, counts };
  }

  /** People whose profile has not changed since `cutoff`, oldest first (retention candidates). */
  async unchangedSince(tx: Tx, teamId: string, cutoff: Date): Promise<string[]> {
    const r = await tx.query<{ id: string }>(`SELECT id FROM people WHERE team_id = $1 AND erased_at IS NULL AND updated_at < $2 ORDER BY updated_at, id`, [
      teamId,
      cutoff,
    ]);
    return r.rows.map((x) => x.id);
  }

  /** What kinds of personal data the team holds, as counts (for the record of processing). */
  async categoryCounts(tx: Tx, teamId: string): Promise<{ people: number; names: number; companies: number; properties: number; notes: number; identities: Record<string, number> }> {
    const p = await tx.query<{ people: number; names: number; companies: number; properties: number }>(
      `SELECT count(*)::int AS people, count(name_sealed)::int AS names, count(company_sealed)::int AS companies, count(properties_sealed)::int AS properties
         FROM people WHERE team_id = $1 AND erased_at IS NULL`,
      [teamId],
    );
    const i = await tx.query<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM person_identities WHERE team_id = $1 GROUP BY kind`, [teamId]);
    const n = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM person_notes WHERE team_id = $1`, [teamId]);
    return { ...p.rows[0]!, notes: n.rows[0]!.n, identities: Object.fromEntries(i.rows.map((x) => [x.kind, x.n])) };
  }

  /** Whether this person was erased (shredded) and awaits or finished purging. */
  async isErased(tx: Tx, teamId: string, id: string): Promise<boolean> {
    const r = await tx.query<{ erased: boolean }>(`SELECT erased_at IS NOT NULL AS erased FROM people WHERE team_id = $1 AND id = $2`, [teamId, id]);
    return r.rows[0]?.erased ?? false;
  }

  /**
   * Last step of an erasure: delete the erased person's row; every table that references people
   * (consents, anything left) goes with it by cascade. Callers delete large dependants (events)
   * in batches first. Returns false if there was nothing to purge.
   */
  async purgeErased(tx: Tx, teamId: string, id: string): Promise<boolean> {
    const r = await tx.query(`DELETE FROM people WHERE team_id = $1 AND id = $2 AND erased_at IS NOT NULL`, [teamId, id]);
    return r.rowCount > 0;
  }

  /**
   * Merge `fromId` into `intoId` (an anonymous visitor identified as a known person): identities
   * (aliases kept), notes, name/company where the target has none and properties the target lacks
   * move over, re-sealed under the target's key. The source's subject keys become the target's,
   * so whatever other modules sealed under them (events) stays readable and is erased with the
   * target. `moveRows` lets other modules move their own rows first (their foreign keys cascade).
   */
  async merge(tx: Tx, teamId: string, fromId: string, intoId: string, moveRows?: OnMerge): Promise<void> {
    if (fromId === intoId) return;
    const from = await this.get(tx, teamId, fromId, { lock: true });
    const into = await this.get(tx, teamId, intoId, { lock: true });
    const notes = await tx.query<{ id: string; body_sealed: Buffer; author_id: string | null; created_at: Date }>(
      `SELECT id, body_sealed, author_id, created_at FROM person_notes WHERE team_id = $1 AND person_id = $2`,
      [teamId, fromId],
    );
    const sources = await this.subjectsOf(tx, teamId, fromId);
    const fromKey = (await this.keyring.subjectKeysFor(tx, teamId, [fromId], { create: false })).get(fromId);
    await moveRows?.(fromId, intoId);
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
        if (!have.includes(value)) await this.addIdentity(tx, teamId, intoId, kind, value, have.length + from[field].indexOf(value));
      }
    }
    if (fromKey) {
      for (const n of notes.rows) {
        const body = this.keyring.openWith(fromKey, { teamId, table: 'person_notes', column: 'body', rowId: n.id }, Buffer.from(n.body_sealed));
        const sealed = await this.keyring.sealForSubject(tx, intoId, { teamId, table: 'person_notes', column: 'body', rowId: n.id }, body);
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
    await this.update(tx, teamId, intoId, {
      name: into.name ?? from.name,
      company: into.company ?? from.company,
      properties,
    });
  }

  /**
   * The person an event belongs to, by `userId` (external id) and/or `anonymousId`: found, created,
   * or — when the two ids name two people — the anonymous one merged into the identified one
   * (only when `merge` is set: identify and alias calls). Missing ids are attached as identities.
   * Returns the person and the id merged away, if any.
   */
  async resolve(
    tx: Tx,
    teamId: string,
    ids: { externalId?: string | undefined; anonymousId?: string | undefined; distinctId?: string | undefined },
    options: { merge: boolean; mergeIdentified?: boolean; onMerge?: OnMerge },
  ): Promise<{ personId: string; mergedFrom: string | null; created: boolean }> {
    if (ids.distinctId !== undefined) {
      // PostHog's one id may be either kind: an identified person's external id, else an anonymous id.
      const distinct = normaliseIdentity('external_id', ids.distinctId, 'distinct_id');
      const known = await this.findIdentity(tx, teamId, 'external_id', distinct);
      if (known) return { personId: known, mergedFrom: null, created: false };
      return this.resolve(tx, teamId, { anonymousId: distinct }, options);
    }
    const external = ids.externalId !== undefined ? normaliseIdentity('external_id', ids.externalId, 'userId') : undefined;
    const anonymous = ids.anonymousId !== undefined ? normaliseIdentity('anonymous_id', ids.anonymousId, 'anonymousId') : undefined;
    const claims = [...(external ? [`external_id|${external}`] : []), ...(anonymous ? [`anonymous_id|${anonymous}`] : [])];
    await this.lockIdentities(tx, teamId, claims);
    // A user id first seen as a distinct id (PostHog: captured before identify) is that person's.
    const externalHolder = external ? await this.findIdentity(tx, teamId, 'external_id', external) : undefined;
    const hasExternal = externalHolder !== undefined;
    const byExternal =
      externalHolder ?? (external && external !== anonymous ? await this.findIdentity(tx, teamId, 'anonymous_id', external) : undefined);
    const byAnonymous = anonymous ? await this.findIdentity(tx, teamId, 'anonymous_id', anonymous) : undefined;
    if (!byExternal && !byAnonymous) {
      const [personId] = await this.importMany(tx, teamId, [{ externalIds: external ? [external] : [], anonymousIds: anonymous ? [anonymous] : [] }], () => '');
      return { personId: personId!, mergedFrom: null, created: true };
    }
    if (byExternal && byAnonymous && byExternal !== byAnonymous) {
      if (!options.merge) return { personId: byExternal, mergedFrom: null, created: false };
      if (!options.mergeIdentified && (await this.countIdentities(tx, teamId, byAnonymous, 'external_id')) > 0) {
        // The "anonymous" id belongs to someone already identified: two people, one device.
        return { personId: byExternal, mergedFrom: null, created: false };
      }
      await this.merge(tx, teamId, byAnonymous, byExternal, options.onMerge);
      return { personId: byExternal, mergedFrom: byAnonymous, created: false };
    }
    const personId = (byExternal ?? byAnonymous)!;
    if (external && !hasExternal) await this.addIdentity(tx, teamId, personId, 'external_id', external, await this.countIdentities(tx, teamId, personId, 'external_id'));
    if (anonymous && !byAnonymous) await this.addIdentity(tx, teamId, personId, 'anonymous_id', anonymous, await this.countIdentities(tx, teamId, personId, 'anonymous_id'));
    return { personId, mergedFrom: null, created: false };
  }

  private async countIdentities(tx: Tx, teamId: string, personId: string, kind: IdentityKind): Promise<number> {
    const r = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM person_identities WHERE team_id = $1 AND person_id = $2 AND kind = $3`, [teamId, personId, kind]);
    return Number(r.rows[0]!.n);
  }

  /**
   * Apply traits from an identify call: `set` overwrites, `setOnce` only fills what is missing
   * (PostHog's $set / $set_once; Segment traits are `set`). `name`, `company` and `email` fill the
   * profile; the rest become properties.
   */
  async applyTraits(tx: Tx, teamId: string, personId: string, traits: { set?: Properties; setOnce?: Properties }): Promise<string[]> {
    const current = await this.get(tx, teamId, personId);
    const patch: PersonPatch = {};
    const properties: Properties = {};
    const apply = (source: Properties, once: boolean) => {
      for (const [key, value] of Object.entries(source)) {
        if (key === 'name' && typeof value === 'string') {
          if (!once || !current.name) patch.name = value.slice(0, 200);
        } else if (key === 'company' && (typeof value === 'string' || (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string'))) {
          const company = typeof value === 'string' ? value : (value as { name: string }).name;
          if (!once || !current.company) patch.company = company.slice(0, 200);
        } else if (key === 'email' && typeof value === 'string') {
          const email = value.trim().toLowerCase();
          if (!current.emails.includes(email) && (!once || current.emails.length === 0)) patch.emails = [...current.emails, value];
        } else if (!once || !Object.hasOwn(current.properties, key)) {
          properties[key] = value;
        }
      }
    };
    apply(traits.setOnce ?? {}, true);
    apply(traits.set ?? {}, false);
    // Never past the property limit: new keys that do not fit are dropped, updates always apply.
    let room = PROPERTY_LIMITS.maxKeys - Object.keys(current.properties).length;
    for (const key of Object.keys(properties)) {
      if (Object.hasOwn(current.properties, key)) continue;
      if (room > 0) room--;
      else delete properties[key];
    }
    if (Object.keys(properties).length > 0) patch.properties = properties;
    if (Object.keys(patch).length === 0) return [];
    try {
      return (await this.update(tx, teamId, personId, patch)).fields;
    } catch (error) {
      // An email another person already has (or that is not an email) is not this identify's to take: keep the rest.
      if (error instanceof HavenError && ['duplicate_identity', 'invalid_email'].includes(error.code) && patch.emails) {
        delete patch.emails;
        return (await this.update(tx, teamId, personId, patch)).fields;
      }
      throw error;
    }
  }

  private async identitiesOf(tx: Tx, teamId: string, personIds: string[], kind?: IdentityKind) {
    const r = await tx.query<{ id: string; person_id: string; kind: IdentityKind; value_sealed: Buffer; position: number }>(
      `SELECT id, person_id, kind, value_sealed, position FROM person_identities
        WHERE team_id = $1 AND person_id = ANY($2::uuid[]) AND ($3::text IS NULL OR kind = $3)
        ORDER BY position, created_at, id`,
      [teamId, personIds, kind ?? null],
    );
    const out: { id: string; personId: string; kind: IdentityKind; value: string; position: number }[] = [];
    for (const row of r.rows) {
      const value = await this.openText(tx, teamId, row.person_id, 'person_identities', 'value', row.id, row.value_sealed);
      if (value !== null) out.push({ id: row.id, personId: row.person_id, kind: row.kind, value, position: row.position });
    }
    return out;
  }

  /** Decrypt rows into views, identities included (one query for the whole page). */
  async views(tx: Tx, teamId: string, rows: PersonRow[]): Promise<PersonView[]> {
    await this.keyring.subjectKeysFor(tx, teamId, rows.map((r) => r.id), { create: false });
    const identities = rows.length ? await this.identitiesOf(tx, teamId, rows.map((r) => r.id)) : [];
    const views: PersonView[] = [];
    for (const row of rows) {
      const mine = identities.filter((i) => i.personId === row.id);
      const of = (kind: IdentityKind) => mine.filter((i) => i.kind === kind).map((i) => i.value);
      const props = await this.openText(tx, teamId, row.id, 'people', 'properties_sealed', row.id, row.properties_sealed);
      views.push({
        id: row.id,
        name: await this.openText(tx, teamId, row.id, 'people', 'name_sealed', row.id, row.name_sealed),
        company: await this.openText(tx, teamId, row.id, 'people', 'company_sealed', row.id, row.company_sealed),
        emails: of('email'),
        phones: of('phone'),
        externalIds: of('external_id'),
        anonymousIds: of('anonymous_id'),
        properties: props ? (JSON.parse(props) as Properties) : {},
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      });
    }
    return views;
  }

  /** A page of people, newest first (or oldest), keyset-paged by (time, id). */
  async list(
    tx: Tx,
    teamId: string,
    q: { sort: 'created' | 'updated'; order: 'asc' | 'desc'; limit: number; cursor?: string | undefined },
  ): Promise<{ people: PersonView[]; nextCursor: string | null }> {
    const column = q.sort === 'updated' ? 'updated_at' : 'created_at';
    const cmp = q.order === 'asc' ? '>' : '<';
    const after = q.cursor ? decodeTimeCursor(q.cursor) : null;
    // The cursor holds the sort time as integer microseconds since the epoch: exact, and any
    // integer is a valid time, so a crafted cursor cannot make the query fail.
    const r = await tx.query<PersonRow & { sort_key: string }>(
      `SELECT ${PERSON_COLUMNS}, (extract(epoch FROM ${column}) * 1000000)::bigint::text AS sort_key FROM people
        WHERE team_id = $1 AND erased_at IS NULL
          AND ($2::bigint IS NULL OR (${column}, id) ${cmp} (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))
        ORDER BY ${column} ${q.order}, id ${q.order} LIMIT $4`,
      [teamId, after?.at ?? null, after?.id ?? null, q.limit + 1],
    );
    const page = r.rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      people: await this.views(tx, teamId, page),
      nextCursor: r.rows.length > q.limit && last ? encodeTimeCursor(last.sort_key, last.id) : null,
    };
  }

  /** Exact lookup by one identity. */
  async findBy(tx: Tx, teamId: string, kind: IdentityKind, raw: string, field: string): Promise<PersonView[]> {
    const value = normaliseIdentity(kind, raw, field);
    const holder = await this.findIdentity(tx, teamId, kind, value);
    if (!holder) return [];
    const ids = [holder];
    const r = await tx.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM people WHERE team_id = $1 AND id = ANY($2::uuid[]) ORDER BY created_at DESC, id DESC`, [
      teamId,
      ids,
    ]);
    return this.views(tx, teamId, r.rows);
  }

  /**
   * Name search by word prefixes ("ada lov"): prefix-token blind indexes give candidates, newest
   * first; each candidate's name is decrypted and kept if every query word starts one of its words.
   */
  async searchByName(tx: Tx, teamId: string, query: string, limit: number): Promise<PersonView[]> {
    const words = foldName(query).split(' ').filter((w) => w.length >= 2).map((w) => w.slice(0, 12));
    if (words.length === 0) throw new HavenError('query_too_short', 400, 'Search by at least two letters of a name.', 'query.name');
    // Two words may share a truncated token: match on the distinct tokens.
    const distinct = new Map<string, Buffer>();
    for (const w of words) {
      const token = await this.keyring.blindIndexes.index(tx, teamId, 'people.name', w, INDEX_BITS.nameToken);
      distinct.set(token.toString('hex'), token);
    }
    const tokens = [...distinct.values()];
    const matches: PersonRow[] = [];
    const batch = 200;
    for (let offset = 0; matches.length < limit; offset += batch) {
      const r = await tx.query<PersonRow>(
        `SELECT ${PERSON_COLUMNS} FROM people p
          WHERE p.team_id = $1 AND p.id IN (
            SELECT person_id FROM person_name_tokens WHERE team_id = $1 AND token = ANY($2::bytea[])
             GROUP BY person_id HAVING count(*) = $3)
          ORDER BY p.created_at DESC, p.id DESC LIMIT $4 OFFSET $5`,
        [teamId, tokens, tokens.length, batch, offset],
      );
      for (const row of r.rows) {
        const name = await this.openText(tx, teamId, row.id, 'people', 'name_sealed', row.id, row.name_sealed);
        const folded = name ? foldName(name).split(' ') : [];
        if (words.every((w) => folded.some((f) => f.startsWith(w)))) matches.push(row);
        if (matches.length === limit) break;
      }
      if (r.rows.length < batch) break;
    }
    return this.views(tx, teamId, matches);
  }
}

/** Identity rows remembered at most. */
const OPENED_IDENTITIES_LIMIT = 100_000;

/**
 * Identity values this process has decrypted, by identity row, with the ciphertext they came
 * from. A row's ciphertext is bound to the row (associated data) and never rewritten, so the
 * same bytes under the same row id are the same value: ingest, which meets the same visitors'
 * candidates again and again, skips the key fetch and the decryption. Process memory only,
 * bounded; an erasure on this node forgets its rows at once (elsewhere they are never matched
 * again: the rows are gone).
 */
class OpenedIdentities {
  private readonly byRow = new Map<string, { sealed: Buffer; value: string }>();

  valueOf(rowId: string, sealed: Uint8Array): string | undefined {
    const known = this.byRow.get(rowId);
    return known && known.sealed.equals(sealed) ? known.value : undefined;
  }

  remember(rowId: string, sealed: Buffer, value: string): void {
    if (this.byRow.size >= OPENED_IDENTITIES_LIMIT) {
      let n = OPENED_IDENTITIES_LIMIT / 10;
      for (const id of this.byRow.keys()) {
        if (n-- <= 0) break;
        this.byRow.delete(id);
      }
    }
    this.byRow.set(rowId, { sealed, value });
  }

  forget(rowId: string): void {
    this.byRow.delete(rowId);
  }
}
