import { randomBytes } from 'node:crypto';
import type { Engine, Tx } from '../db/engine.js';
import type { Migration } from '../db/migrations.js';
import { tenantTable } from '../db/tenant-table.js';
import { DecryptError, contextOf, keyVersionOf, open, seal } from './aead.js';
import { BlindIndexer } from './blind-index.js';
import { MasterKeyError, type MasterKeyProvider } from './master-key/provider.js';

/**
 * Key hierarchy (I2): master key (outside the database) → per-team data keys (random, versioned,
 * stored wrapped by the master key) → per-person subject keys (random, stored wrapped by a team key).
 * Deleting a subject key crypto-shreds everything sealed under it, in every copy of the database.
 */
export const keyringSchema: Migration = {
  id: 'platform/0002_keyring',
  sql: `
    -- A value sealed under the master key: opening it proves Haven started with the right key.
    -- Owner-only; the app role has no grant.
    CREATE TABLE keyring_master_check (
      id int PRIMARY KEY CHECK (id = 1),
      sealed bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE team_keys (
      team_id uuid NOT NULL,
      version int NOT NULL CHECK (version > 0),
      wrapped_key bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, version)
    );
    ${tenantTable('team_keys', 'SELECT, INSERT, UPDATE')}
    CREATE TABLE subject_keys (
      team_id uuid NOT NULL,
      subject_id uuid NOT NULL,
      wrapped_key bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, subject_id)
    );
    ${tenantTable('subject_keys')}
    -- The root of the team's blind-index keys, wrapped by the master key. Not rotated with the data
    -- key: rotating it means re-indexing.
    CREATE TABLE team_index_keys (
      team_id uuid PRIMARY KEY,
      wrapped_key bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    ${tenantTable('team_index_keys', 'SELECT, INSERT')}
  `,
};

const CHECK_PLAINTEXT = Buffer.from('haven master key check v1');
const CHECK_CONTEXT = Buffer.from('haven/1|master-check');
const MASTER_VERSION = 1;

const teamKeyContext = (teamId: string, version: number) => Buffer.from(`haven/1|team-key|${teamId}|${version}`);
const subjectKeyContext = (teamId: string, subjectId: string) => Buffer.from(`haven/1|subject-key|${teamId}|${subjectId}`);

/** Where a sealed value lives; bound into its associated data. */
export interface ValueContext {
  teamId: string;
  table: string;
  column: string;
  rowId: string;
}

/** A small LRU: unwrapped keys stay in memory, bounded in number. */
class KeyCache {
  private readonly entries = new Map<string, Buffer>();
  constructor(private readonly max: number) {}
  get(id: string): Buffer | undefined {
    const key = this.entries.get(id);
    if (key) {
      this.entries.delete(id);
      this.entries.set(id, key);
    }
    return key;
  }
  set(id: string, key: Buffer): void {
    this.entries.delete(id);
    this.entries.set(id, key);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
  delete(id: string): void {
    this.entries.delete(id);
  }
  get size(): number {
    return this.entries.size;
  }
}

export class Keyring {
  private readonly cache: KeyCache;
  /** Blind indexes for equality and prefix search on encrypted fields. */
  readonly blindIndexes: BlindIndexer;

  private constructor(
    private readonly master: Buffer,
    cacheSize: number,
  ) {
    this.cache = new KeyCache(cacheSize);
    this.blindIndexes = new BlindIndexer(() => this.master);
  }

  /**
   * Load the master key and check it against the database before anything is written: with the
   * wrong key Haven refuses to start and touches nothing. The first start records the check.
   */
  static async open(engine: Engine, provider: MasterKeyProvider, options: { cacheSize?: number } = {}): Promise<Keyring> {
    const master = await provider.load();
    await engine.ownerTransaction(async (tx) => {
      const exists = await tx.query(`SELECT 1 FROM pg_class WHERE relname = 'keyring_master_check' AND relnamespace = 'public'::regnamespace`);
      if (exists.rowCount === 0) return;
      const row = (await tx.query<{ sealed: Buffer }>(`SELECT sealed FROM keyring_master_check WHERE id = 1`)).rows[0];
      if (!row) return;
      try {
        open(master, Buffer.from(row.sealed), CHECK_CONTEXT);
      } catch {
        throw new MasterKeyError(
          `The master key from ${provider.source} is not the key this database was created with. ` +
            `Nothing was changed. Start Haven with the original key (HAVEN_MASTER_KEY or the key file).`,
        );
      }
    });
    return new Keyring(master, options.cacheSize ?? 10_000);
  }

  /** Record the master-key check once the schema exists (first start). */
  async recordCheck(engine: Engine): Promise<void> {
    await engine.ownerTransaction((tx) =>
      tx.query(`INSERT INTO keyring_master_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [
        seal(this.master, MASTER_VERSION, CHECK_PLAINTEXT, CHECK_CONTEXT),
      ]),
    );
  }

  /** The team's current data key, created on first use. `tx` must be scoped to the team. */
  async currentTeamKey(tx: Tx, teamId: string): Promise<{ version: number; key: Buffer }> {
    const latest = await tx.query<{ version: number; wrapped_key: Buffer }>(
      `SELECT version, wrapped_key FROM team_keys WHERE team_id = $1 ORDER BY version DESC LIMIT 1`,
      [teamId],
    );
    const row = latest.rows[0];
    if (row) return { version: row.version, key: this.unwrapTeamKey(teamId, row.version, Buffer.from(row.wrapped_key)) };
    return this.addTeamKey(tx, teamId, 1);
  }

  /** A new team key version; new data uses it at once, old versions stay readable. */
  async rotateTeamKey(tx: Tx, teamId: string): Promise<number> {
    const current = await this.currentTeamKey(tx, teamId);
    return (await this.addTeamKey(tx, teamId, current.version + 1)).version;
  }

  async teamKey(tx: Tx, teamId: string, version: number): Promise<Buffer> {
    const cached = this.cache.get(`t:${teamId}:${version}`);
    if (cached) return cached;
    const r = await tx.query<{ wrapped_key: Buffer }>(`SELECT wrapped_key FROM team_keys WHERE team_id = $1 AND version = $2`, [teamId, version]);
    if (!r.rows[0]) throw new DecryptError(`team key version ${version} is missing`);
    return this.unwrapTeamKey(teamId, version, Buffer.from(r.rows[0].wrapped_key));
  }

  private async addTeamKey(tx: Tx, teamId: string, version: number): Promise<{ version: number; key: Buffer }> {
    const key = randomBytes(32);
    // ON CONFLICT: a concurrent first use created it; read theirs.
    const r = await tx.query(
      `INSERT INTO team_keys (team_id, version, wrapped_key) VALUES ($1, $2, $3) ON CONFLICT (team_id, version) DO NOTHING`,
      [teamId, version, seal(this.master, MASTER_VERSION, key, teamKeyContext(teamId, version))],
    );
    if (r.rowCount === 0) return { version, key: await this.teamKey(tx, teamId, version) };
    this.cache.set(`t:${teamId}:${version}`, key);
    return { version, key };
  }

  private unwrapTeamKey(teamId: string, version: number, wrapped: Buffer): Buffer {
    const id = `t:${teamId}:${version}`;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const key = open(this.master, wrapped, teamKeyContext(teamId, version));
    this.cache.set(id, key);
    return key;
  }

  /** A person's subject key; created when `create` is set, else null once shredded or never made. */
  async subjectKey(tx: Tx, teamId: string, subjectId: string, options: { create: boolean }): Promise<Buffer | null> {
    const id = `s:${teamId}:${subjectId}`;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const r = await tx.query<{ wrapped_key: Buffer }>(`SELECT wrapped_key FROM subject_keys WHERE team_id = $1 AND subject_id = $2`, [teamId, subjectId]);
    if (r.rows[0]) {
      const wrapped = Buffer.from(r.rows[0].wrapped_key);
      const teamKey = await this.teamKey(tx, teamId, keyVersionOf(wrapped));
      const key = open(teamKey, wrapped, subjectKeyContext(teamId, subjectId));
      this.cache.set(id, key);
      return key;
    }
    if (!options.create) return null;
    const key = randomBytes(32);
    const team = await this.currentTeamKey(tx, teamId);
    await tx.query(`INSERT INTO subject_keys (team_id, subject_id, wrapped_key) VALUES ($1, $2, $3)`, [
      teamId,
      subjectId,
      seal(team.key, team.version, key, subjectKeyContext(teamId, subjectId)),
    ]);
    this.cache.set(id, key);
    return key;
  }

  /** Crypto-shred: delete the subject key. Everything sealed under it is unreadable from now on. */
  async shredSubject(tx: Tx, teamId: string, subjectId: string): Promise<boolean> {
    this.cache.delete(`s:${teamId}:${subjectId}`);
    const r = await tx.query(`DELETE FROM subject_keys WHERE team_id = $1 AND subject_id = $2`, [teamId, subjectId]);
    return r.rowCount > 0;
  }

  /** Seal under the team's current key (team-level data: notes about the team, settings). */
  async sealForTeam(tx: Tx, where: ValueContext, plaintext: Buffer): Promise<Buffer> {
    const team = await this.currentTeamKey(tx, where.teamId);
    return seal(team.key, team.version, plaintext, contextOf(where));
  }

  async openForTeam(tx: Tx, where: ValueContext, sealed: Buffer): Promise<Buffer> {
    const key = await this.teamKey(tx, where.teamId, keyVersionOf(sealed));
    return open(key, sealed, contextOf(where));
  }

  /** Seal a person's data under their subject key (created on first use). */
  async sealForSubject(tx: Tx, subjectId: string, where: ValueContext, plaintext: Buffer): Promise<Buffer> {
    const key = (await this.subjectKey(tx, where.teamId, subjectId, { create: true }))!;
    return seal(key, 1, plaintext, contextOf(where));
  }

  /** Open a person's data; null when their key was shredded (erased). */
  async openForSubject(tx: Tx, subjectId: string, where: ValueContext, sealed: Buffer): Promise<Buffer | null> {
    const key = await this.subjectKey(tx, where.teamId, subjectId, { create: false });
    return key ? open(key, sealed, contextOf(where)) : null;
  }

  get cachedKeys(): number {
    return this.cache.size;
  }
}
