import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Tx } from '../db/engine.js';
import { seal, open } from './aead.js';

/**
 * Blind indexes: equality search over encrypted values without decrypting every row.
 *
 * index = first `bits` of HMAC-SHA256(fieldKey, normalised value), where fieldKey =
 * HKDF-SHA256(team index root, salt = team id, info = "haven blind index v1|<field>"). The team
 * index root is random per team and stored wrapped by the master key; it is not rotated with the
 * data key, so indexes stay valid across data-key rotations.
 *
 * Sizing follows CipherSweet's blind-index planning: for an expected population R, an index of L
 * bits should leave every value shared by about R / 2^L ≥ 2 rows ("coincidences"), so an index
 * alone never singles out a person; candidates are then verified by decrypting. Each identity and
 * each name token is its own row with one index, so L is chosen per field, not summed.
 */
export const INDEX_BITS = {
  /** Sized for ~100k people per team: 100 000 / 2^15 ≈ 3 coincidences per value. */
  identity: 15,
  /** Name prefix tokens: ~1M token rows for 100k people; 2^16 buckets ≈ 15 rows each before filtering. */
  nameToken: 16,
} as const;

export const indexRootContext = (teamId: string) => Buffer.from(`haven/1|blind-index-root|${teamId}`);

export function blindIndex(fieldKey: Buffer, normalised: string, bits: number): Buffer {
  const mac = createHmac('sha256', fieldKey).update(normalised, 'utf8').digest();
  const bytes = Math.ceil(bits / 8);
  const out = Buffer.from(mac.subarray(0, bytes));
  const spare = bytes * 8 - bits;
  if (spare > 0) out[bytes - 1] = out[bytes - 1]! & (0xff << spare);
  return out;
}

export function deriveFieldKey(root: Buffer, teamId: string, field: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.from(teamId), Buffer.from(`haven blind index v1|${field}`), 32));
}

/** Indexes remembered at most (each entry ~200 bytes: a few tens of MiB at the bound). */
const MEMO_LIMIT = 100_000;

/**
 * Per-team field keys, derived once and kept in memory (bounded by teams × fields), and the
 * indexes computed recently: an index is a pure function of the team's root, the field and the
 * value, and ingest asks for the same visitors' ids again and again (an HMAC each time otherwise).
 * The memo lives in process memory only and forgets its oldest entries past MEMO_LIMIT.
 */
export class BlindIndexer {
  private readonly keys = new Map<string, Buffer>();
  private readonly memo = new IndexMemo(MEMO_LIMIT);

  constructor(
    private readonly master: () => Buffer,
    /** Whether an index may be remembered (the keyring's: not while changes may go unheard). */
    private readonly memory: { mark(): number | null; mayRemember(mark: number | null): boolean },
  ) {}

  async fieldKey(tx: Tx, teamId: string, field: string): Promise<Buffer> {
    return (await this.fieldKeyOf(tx, teamId, field)).key;
  }

  /** The field key if the team has a root, else null (never creates one: for reading what exists). */
  async existingFieldKey(tx: Tx, teamId: string, field: string): Promise<Buffer | null> {
    const cached = this.keys.get(`${teamId}|${field}`);
    if (cached) return cached;
    const root = await this.storedRoot(tx, teamId);
    return root && deriveFieldKey(root, teamId, field);
  }

  async index(tx: Tx, teamId: string, field: string, normalised: string, bits: number): Promise<Buffer> {
    const known = this.memo.get(teamId, field, bits, normalised);
    if (known) return known;
    const mark = this.memory.mark();
    const { key, stored } = await this.fieldKeyOf(tx, teamId, field);
    const index = blindIndex(key, normalised, bits);
    if (!stored) return index; // see fieldKeyOf: nothing derived from an uncommitted root is kept
    // Keyed by the value: not kept while an erasure elsewhere could go unheard.
    if (this.memory.mayRemember(mark)) this.memo.set(teamId, field, bits, normalised, index);
    return index;
  }

  /**
   * Create the team's root now if it has none (with the team itself): every backup that holds the
   * team then holds the key its suppression hashes in the erasure ledger were made with.
   */
  async ensureRoot(tx: Tx, teamId: string): Promise<void> {
    await this.root(tx, teamId);
  }

  /** Which of these teams have no root yet (teams made by builds that created it on first use). `tx` must see every team. */
  async rootless(tx: Tx, teamIds: readonly string[]): Promise<string[]> {
    if (teamIds.length === 0) return [];
    const r = await tx.query<{ team_id: string }>(
      `SELECT t AS team_id FROM unnest($1::uuid[]) AS t WHERE NOT EXISTS (SELECT 1 FROM team_index_keys k WHERE k.team_id = t)`,
      [teamIds],
    );
    return r.rows.map((row) => row.team_id);
  }

  /**
   * Forget the remembered indexes of these values, in every field of the team (an erased
   * person's identities and name prefixes): the process keeps no copy of what erasure removed.
   */
  forgetValues(teamId: string, values: readonly string[]): void {
    if (values.length > 0) this.memo.forgetValues(teamId, values);
  }

  /** Forget the team's remembered indexes (keyed by value), not its field keys. */
  forgetRemembered(teamId: string): void {
    this.memo.forgetTeam(teamId);
  }

  /** Forget every team's field keys and remembered indexes (changes may have been missed). */
  forgetAll(): void {
    this.keys.clear();
    this.memo.clear();
  }

  /** Forget the team's field keys and remembered indexes (the team was deleted). */
  forgetTeam(teamId: string): void {
    const prefix = `${teamId}|`;
    for (const id of this.keys.keys()) if (id.startsWith(prefix)) this.keys.delete(id);
    this.forgetRemembered(teamId);
  }

  private async fieldKeyOf(tx: Tx, teamId: string, field: string): Promise<{ key: Buffer; stored: boolean }> {
    const id = `${teamId}|${field}`;
    const cached = this.keys.get(id);
    if (cached) return { key: cached, stored: true };
    const { root, stored } = await this.root(tx, teamId);
    const key = deriveFieldKey(root, teamId, field);
    // A root created by this (uncommitted) transaction is not cached: if the transaction rolls back,
    // a key from a root that was never stored would index values nobody could find after a restart.
    if (!stored) return { key, stored };
    if (this.keys.size > 50_000) this.keys.clear();
    this.keys.set(id, key);
    return { key, stored };
  }

  /** The team's root; `stored` is false when this transaction created it (not yet committed). */
  private async root(tx: Tx, teamId: string): Promise<{ root: Buffer; stored: boolean }> {
    const found = await this.storedRoot(tx, teamId);
    if (found) return { root: found, stored: true };
    const inserted = await tx.query(`INSERT INTO team_index_keys (team_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (team_id) DO NOTHING`, [
      teamId,
      seal(this.master(), 1, randomBytes(32), indexRootContext(teamId)),
    ]);
    // Another transaction's committed root (our insert conflicted) is stored; our own is not yet.
    return { root: (await this.storedRoot(tx, teamId))!, stored: inserted.rowCount === 0 };
  }

  /** The team's root as this transaction sees it, unwrapped, or null when it has none. */
  private async storedRoot(tx: Tx, teamId: string): Promise<Buffer | null> {
    const r = await tx.query<{ wrapped_key: Buffer }>(`SELECT wrapped_key FROM team_index_keys WHERE team_id = $1`, [teamId]);
    return r.rows[0] ? open(this.master(), Buffer.from(r.rows[0].wrapped_key), indexRootContext(teamId)) : null;
  }
}

/**
 * Prefix tokens of a name for prefix search: every word (letters and digits, case- and
 * accent-folded) contributes its prefixes of 2 to 12 characters.
 */
export function namePrefixes(name: string): string[] {
  const out = new Set<string>();
  for (const word of foldName(name).split(' ')) {
    for (let n = 2; n <= Math.min(word.length, 12); n++) out.add(word.slice(0, n));
  }
  return [...out];
}

/**
 * Latin letters that Unicode does not decompose into a base letter and a mark, written as people
 * type them on a keyboard without them (Søren → soren, Łukasz → lukasz, Straße → strasse).
 */
const UNDECOMPOSED: Readonly<Record<string, string>> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', ı: 'i', ħ: 'h', ŧ: 't', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th' };

/**
 * Which foldName made the stored name tokens: 2 since it folds the letters above. People indexed
 * by an earlier one are indexed again at start (people/reindex-names).
 */
export const NAME_FOLD_VERSION = 2;

/** Case- and accent-insensitive form of a name: "Zoë  O'Brien" → "zoe o brien", "Søren Łukasz" → "soren lukasz". */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øłđðıħŧßæœþ]/gu, (c) => UNDECOMPOSED[c]!)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Remembered indexes by team, field, bits and value: nested maps, so a look-up builds no key
 * string (ingest asks twice per event). Past `limit` entries the oldest tenth of each value map
 * goes (maps keep insertion order).
 */
export class IndexMemo {
  private readonly teams = new Map<string, Map<string, Map<number, Map<string, Buffer>>>>();
  private size = 0;

  constructor(private readonly limit: number) {}

  get(teamId: string, field: string, bits: number, value: string): Buffer | undefined {
    return this.teams.get(teamId)?.get(field)?.get(bits)?.get(value);
  }

  set(teamId: string, field: string, bits: number, value: string, index: Buffer): void {
    if (this.size >= this.limit) this.forgetOldestTenth();
    let fields = this.teams.get(teamId);
    if (!fields) this.teams.set(teamId, (fields = new Map()));
    let byBits = fields.get(field);
    if (!byBits) fields.set(field, (byBits = new Map()));
    let values = byBits.get(bits);
    if (!values) byBits.set(bits, (values = new Map()));
    if (!values.has(value)) this.size++;
    values.set(value, index);
  }

  /** Whether any field of the team (of any team: undefined) remembers an index of `value` (for tests of forgetting). */
  holdsValue(teamId: string | undefined, value: string): boolean {
    for (const values of this.valueMaps(teamId)) if (values.has(value)) return true;
    return false;
  }

  /** How many indexes the team's fields remember (for tests of forgetting). */
  countOf(teamId: string): number {
    let n = 0;
    for (const values of this.valueMaps(teamId)) n += values.size;
    return n;
  }

  forgetValues(teamId: string, gone: readonly string[]): void {
    for (const values of this.valueMaps(teamId)) {
      for (const value of gone) if (values.delete(value)) this.size--;
    }
  }

  forgetTeam(teamId: string): void {
    for (const values of this.valueMaps(teamId)) this.size -= values.size;
    this.teams.delete(teamId);
  }

  clear(): void {
    this.teams.clear();
    this.size = 0;
  }

  private *valueMaps(teamId?: string): Generator<Map<string, Buffer>> {
    const teams = teamId === undefined ? [...this.teams.values()] : [this.teams.get(teamId)];
    for (const fields of teams) for (const byBits of fields?.values() ?? []) yield* byBits.values();
  }

  private forgetOldestTenth(): void {
    for (const values of this.valueMaps()) {
      let n = Math.ceil(values.size / 10);
      for (const value of values.keys()) {
        if (n-- <= 0) break;
        values.delete(value);
        this.size--;
      }
    }
  }
}
