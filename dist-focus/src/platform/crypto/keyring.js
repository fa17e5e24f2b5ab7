import { randomBytes } from 'node:crypto';
import { audit } from '../audit/index.js';
import { TEAM_DELETED } from '../db/changes.js';
import { APP_ROLE } from '../db/engine.js';
import { withTeam } from '../db/with-team.js';
import { waitForOlderTransactions } from '../db/rewrite-tables.js';
import { ChangedMeanwhile } from '../db/transient-error.js';
import { tenantTable } from '../db/tenant-table.js';
import { DecryptError, contextOf, keyVersionOf, open, seal } from './aead.js';
import { AccountKeys, accountRootContext } from './account-keys.js';
import { BlindIndexer, indexRootContext } from './blind-index.js';
import { MasterKeyError, MissingMasterKeyError } from './master-key/provider.js';
/**
 * Key hierarchy (I2): master key (outside the database) → per-team data keys (random, versioned,
 * stored wrapped by the master key) → per-person subject keys (random, stored wrapped by a team key).
 * Deleting a subject key crypto-shreds everything sealed under it, in every copy of the database.
 */
export const keyringSchema = {
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
      -- Which team key version wraps it (also in the envelope); lets re-wrap find what is left.
      team_key_version int NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, subject_id)
    );
    CREATE INDEX subject_keys_by_team_key ON subject_keys (team_id, team_key_version);
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
/**
 * Team keys are added, never changed, by the app: only the master key's rotation re-wraps them,
 * as the owner. An UPDATE the app could make would crypto-shred a whole team.
 */
export const teamKeysAppendOnlySchema = {
    id: 'platform/0011_team_keys_append_only',
    sql: `REVOKE UPDATE ON team_keys FROM ${APP_ROLE};`,
};
const CHECK_PLAINTEXT = Buffer.from('haven master key check v1');
const CHECK_CONTEXT = Buffer.from('haven/1|master-check');
const MASTER_VERSION = 1;
/** Whether `master` opens a database's master-key check value (restore checks an archive's before loading it). */
export function masterKeyOpensCheck(master, sealedCheck) {
    try {
        open(master, sealedCheck, CHECK_CONTEXT);
        return true;
    }
    catch {
        return false;
    }
}
/** Announced when a subject key is deleted: every process forgets it (changes.ts). */
const SUBJECT_SHREDDED = 'subject.shredded';
const teamKeyContext = (teamId, version) => Buffer.from(`haven/1|team-key|${teamId}|${version}`);
const subjectKeyContext = (teamId, subjectId) => Buffer.from(`haven/1|subject-key|${teamId}|${subjectId}`);
/**
 * A person's key was shredded after the caller found them (an erasure committed meanwhile). Run the
 * transaction again: it then finds the person gone.
 */
export class SubjectKeyGone extends ChangedMeanwhile {
    constructor() {
        super("a person's key");
    }
}
/** A small LRU: unwrapped keys stay in memory, bounded in number. */
class KeyCache {
    max;
    entries = new Map();
    constructor(max) {
        this.max = max;
    }
    get(id) {
        const key = this.entries.get(id);
        if (key) {
            this.entries.delete(id);
            this.entries.set(id, key);
        }
        return key;
    }
    set(id, key) {
        this.entries.delete(id);
        this.entries.set(id, key);
        if (this.entries.size > this.max)
            this.entries.delete(this.entries.keys().next().value);
    }
    delete(id) {
        this.entries.delete(id);
    }
    deleteStartingWith(prefix) {
        for (const id of this.entries.keys())
            if (id.startsWith(prefix))
                this.entries.delete(id);
    }
    clear() {
        this.entries.clear();
    }
    get size() {
        return this.entries.size;
    }
}
export class Keyring {
    master;
    changes;
    cache;
    teamForgetters = new Set();
    /** Blind indexes for equality and prefix search on encrypted fields. */
    blindIndexes;
    accountKeys = null;
    /** Counts shreds heard of: a subject key read before one was heard is not kept (it may be the shredded one). */
    shredsHeard = 0;
    /** Teams whose remembered values are to be forgotten at the end of this turn (several shreds, one pass). */
    valuesToForget = new Set();
    /**
     * Keys made by transactions still open (cache id → how many): remembered only once theirs
     * commits. After a rollback another process, or a later transaction, makes that key version or
     * subject key with other bytes; a key remembered from the rolled-back one would seal data that
     * nobody else can open. Nor is a key read back inside its own open transaction remembered.
     */
    uncommitted = new Map();
    /** ...which their own transaction uses from here, without reading them back. */
    createdIn = new WeakMap();
    constructor(master, cacheSize, changes) {
        this.master = master;
        this.changes = changes;
        this.cache = new KeyCache(cacheSize);
        this.blindIndexes = new BlindIndexer(() => this.master, { mark: () => this.memoryMark(), mayRemember: (mark) => this.mayRemember(mark) });
        changes.subscribe((notice) => this.heard(notice));
    }
    /**
     * A subject key shredded by any process is forgotten here when that commits, and so is what this
     * process remembers of the team's values (decrypted identities, blind indexes by value), which
     * may be the erased person's. A deleted team is forgotten whole. When changes may have been
     * missed (the listener dropped, or is back), everything goes: keys, indexes and values of every
     * team — an erasure or a team deletion unheard would otherwise leave its data here.
     */
    heard(notice) {
        this.shredsHeard++;
        if (notice === 'everything') {
            this.cache.clear();
            this.blindIndexes.forgetAll();
            for (const forget of this.teamForgetters)
                forget(null);
        }
        else if (notice.topic === TEAM_DELETED) {
            this.forgetTeam(notice.teamId);
        }
        else if (notice.topic === SUBJECT_SHREDDED && notice.id) {
            this.cache.delete(`s:${notice.teamId}:${notice.id}`);
            if (this.valuesToForget.size === 0)
                queueMicrotask(() => this.forgetShreddedValues());
            this.valuesToForget.add(notice.teamId);
        }
    }
    forgetShreddedValues() {
        for (const teamId of this.valuesToForget) {
            this.blindIndexes.forgetRemembered(teamId);
            for (const forget of this.teamForgetters)
                forget(teamId);
        }
        this.valuesToForget.clear();
    }
    /**
     * Load the master key and check it against the database before anything is written: with the
     * wrong key Haven refuses to start and touches nothing. The first start records the check. A key
     * provider may make a new key (the key file on first run) only for a database that holds nothing
     * sealed under one: beside existing data a new key would silently open none of it.
     */
    static async open(engine, provider, options = {}) {
        const sealed = await engine.ownerTransaction(async (tx) => {
            const exists = await tx.query(`SELECT 1 FROM pg_class WHERE relname = 'keyring_master_check' AND relnamespace = 'public'::regnamespace`);
            if (exists.rowCount === 0)
                return { check: undefined, keys: false };
            const row = (await tx.query(`SELECT sealed FROM keyring_master_check WHERE id = 1`)).rows[0];
            // Team keys too, for a database whose check was never recorded (a role without
            // BYPASSRLS sees none of them, but such a database has its check).
            const keys = await tx.query(`SELECT 1 FROM team_keys UNION ALL SELECT 1 FROM team_index_keys LIMIT 1`);
            return { check: row ? Buffer.from(row.sealed) : undefined, keys: keys.rowCount > 0 };
        });
        const fresh = !sealed.check && !sealed.keys;
        let master;
        try {
            master = await provider.load({ create: fresh });
        }
        catch (error) {
            if (!(error instanceof MissingMasterKeyError))
                throw error;
            throw new MasterKeyError(`${error.message} This database already holds data sealed under a master key, so no new key was made ` +
                `(it would open none of it). Nothing was changed. Put the original key back at ${provider.source} (mode 0600) ` +
                `or set HAVEN_MASTER_KEY to it.`);
        }
        if (sealed.check) {
            try {
                open(master, sealed.check, CHECK_CONTEXT);
            }
            catch {
                throw new MasterKeyError(`The master key from ${provider.source} is not the key this database was created with. ` +
                    `Nothing was changed. Start Haven with the original key (HAVEN_MASTER_KEY or the key file).`);
            }
        }
        return new Keyring(master, options.cacheSize ?? 10_000, engine.changes);
    }
    /** Record the master-key check once the schema exists (first start). */
    async recordCheck(engine) {
        await engine.ownerTransaction((tx) => tx.query(`INSERT INTO keyring_master_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [
            seal(this.master, MASTER_VERSION, CHECK_PLAINTEXT, CHECK_CONTEXT),
        ]));
    }
    /** Load (on first start, create) the keys of Haven's own accounts; once the schema exists. */
    async openAccountKeys(engine) {
        this.accountKeys = await AccountKeys.load(engine, this.master);
    }
    /** The account keys of the database `tx` sees (restore: the archive's, not this process's); null when it has none. */
    accountKeysIn(tx) {
        return AccountKeys.loadIn(tx, this.master);
    }
    /** Keys for members' sign-in emails and the sign-in throttle (see account-keys.ts). */
    get accounts() {
        if (!this.accountKeys)
            throw new Error('account keys are not loaded: call openAccountKeys after migrating');
        return this.accountKeys;
    }
    /** The team's current data key, created on first use. `tx` must be scoped to the team. */
    async currentTeamKey(tx, teamId) {
        const latest = await tx.query(`SELECT version, wrapped_key FROM team_keys WHERE team_id = $1 ORDER BY version DESC LIMIT 1`, [teamId]);
        const row = latest.rows[0];
        if (row)
            return { version: row.version, key: this.unwrapTeamKey(teamId, row.version, Buffer.from(row.wrapped_key)) };
        return this.addTeamKey(tx, teamId, 1);
    }
    /** A new team key version; new data uses it at once, old versions stay readable. */
    async rotateTeamKey(tx, teamId) {
        const current = await this.currentTeamKey(tx, teamId);
        return (await this.addTeamKey(tx, teamId, current.version + 1)).version;
    }
    async teamKey(tx, teamId, version) {
        const cached = this.cache.get(`t:${teamId}:${version}`) ?? this.createdIn.get(tx)?.get(`t:${teamId}:${version}`);
        if (cached)
            return cached;
        const r = await tx.query(`SELECT wrapped_key FROM team_keys WHERE team_id = $1 AND version = $2`, [teamId, version]);
        if (!r.rows[0])
            throw new DecryptError(`team key version ${version} is missing`);
        return this.unwrapTeamKey(teamId, version, Buffer.from(r.rows[0].wrapped_key));
    }
    async addTeamKey(tx, teamId, version) {
        const key = randomBytes(32);
        // ON CONFLICT: a concurrent first use created it; read theirs.
        const r = await tx.query(`INSERT INTO team_keys (team_id, version, wrapped_key) VALUES ($1, $2, $3) ON CONFLICT (team_id, version) DO NOTHING`, [teamId, version, seal(this.master, MASTER_VERSION, key, teamKeyContext(teamId, version))]);
        if (r.rowCount === 0)
            return { version, key: await this.teamKey(tx, teamId, version) };
        this.rememberOnCommit(tx, `t:${teamId}:${version}`, key);
        return { version, key };
    }
    unwrapTeamKey(teamId, version, wrapped) {
        const id = `t:${teamId}:${version}`;
        const cached = this.cache.get(id);
        if (cached)
            return cached;
        const key = open(this.master, wrapped, teamKeyContext(teamId, version));
        if (!this.uncommitted.has(id))
            this.cache.set(id, key);
        return key;
    }
    /** Remember a key this transaction created once (and only if) it commits. */
    rememberOnCommit(tx, id, key) {
        const created = this.createdIn.get(tx) ?? new Map();
        this.createdIn.set(tx, created.set(id, key));
        this.uncommitted.set(id, (this.uncommitted.get(id) ?? 0) + 1);
        tx.whenDone((committed) => {
            const open = this.uncommitted.get(id) - 1;
            if (open > 0)
                this.uncommitted.set(id, open);
            else
                this.uncommitted.delete(id);
            // Not if the same transaction shredded it meanwhile (shredSubject forgets it there).
            if (committed && created.get(id) === key)
                this.cache.set(id, key);
        });
    }
    /** A person's subject key; created when `create` is set, else null once shredded or never made. */
    async subjectKey(tx, teamId, subjectId, options) {
        return (await this.subjectKeysFor(tx, teamId, [subjectId], options)).get(subjectId) ?? null;
    }
    /**
     * Subject keys of many people at once (one query for those not cached); with `create`, the
     * missing ones are made and stored in one multi-row insert. Shredded or unknown ids are absent
     * from the result unless created.
     */
    async subjectKeysFor(tx, teamId, subjectIds, options) {
        const out = new Map();
        const missing = [];
        // Unheard shreds by other processes would leave their keys here: nothing is used from memory then.
        const trusted = this.changes.live;
        for (const id of new Set(subjectIds)) {
            const cached = (trusted ? this.cache.get(`s:${teamId}:${id}`) : undefined) ?? this.createdIn.get(tx)?.get(`s:${teamId}:${id}`);
            if (cached)
                out.set(id, cached);
            else
                missing.push(id);
        }
        if (missing.length === 0)
            return out;
        const heardBefore = this.shredsHeard;
        const r = await tx.query(`SELECT subject_id, wrapped_key FROM subject_keys WHERE team_id = $1 AND subject_id = ANY($2::uuid[])`, [teamId, missing]);
        for (const row of r.rows) {
            const wrapped = Buffer.from(row.wrapped_key);
            const teamKey = await this.teamKey(tx, teamId, keyVersionOf(wrapped));
            const key = open(teamKey, wrapped, subjectKeyContext(teamId, row.subject_id));
            const id = `s:${teamId}:${row.subject_id}`;
            if (trusted && heardBefore === this.shredsHeard && !this.uncommitted.has(id))
                this.cache.set(id, key);
            out.set(row.subject_id, key);
        }
        if (!options.create)
            return out;
        const toCreate = missing.filter((id) => !out.has(id));
        if (toCreate.length === 0)
            return out;
        const team = await this.currentTeamKey(tx, teamId);
        const wrapped = [];
        for (const id of toCreate) {
            const key = randomBytes(32);
            wrapped.push(seal(team.key, team.version, key, subjectKeyContext(teamId, id)));
            this.rememberOnCommit(tx, `s:${teamId}:${id}`, key);
            out.set(id, key);
        }
        await tx.query(`INSERT INTO subject_keys (team_id, subject_id, wrapped_key, team_key_version)
       SELECT $1, s, w, $4 FROM unnest($2::uuid[], $3::bytea[]) AS t(s, w)`, [teamId, toCreate, wrapped, team.version]);
        return out;
    }
    /** Seal with an already-fetched subject key (bulk paths); see `subjectKeysFor`. */
    sealWith(subjectKey, where, plaintext) {
        return seal(subjectKey, 1, plaintext, contextOf(where));
    }
    openWith(subjectKey, where, sealed) {
        return open(subjectKey, sealed, contextOf(where));
    }
    /**
     * A team was deleted (announced by the deletion, see delete-team-data.ts): drop every key, index
     * and value this process remembers for it. Modules that remember decrypted team data register
     * with `onTeamForgotten`; they are also called when one of the team's subjects is shredded.
     */
    forgetTeam(teamId) {
        this.cache.deleteStartingWith(`t:${teamId}:`);
        this.cache.deleteStartingWith(`s:${teamId}:`);
        this.blindIndexes.forgetTeam(teamId);
        for (const forget of this.teamForgetters)
            forget(teamId);
    }
    /** `forget(null)`: every team's (changes may have been missed). */
    onTeamForgotten(forget) {
        this.teamForgetters.add(forget);
    }
    /**
     * Taken before reading what a cache would keep (decrypted values, indexes by value), for
     * `mayRemember`. Null while other processes' changes may go unheard: nothing is kept then.
     */
    memoryMark() {
        return this.changes.live ? this.shredsHeard : null;
    }
    /** Whether what was read since `mark` may be kept: the feed is live and no notice came meanwhile. */
    mayRemember(mark) {
        return mark !== null && this.changes.live && mark === this.shredsHeard;
    }
    /**
     * Crypto-shred: delete the subject key. Everything sealed under it is unreadable from now on, by
     * every process: the shred is announced, and each forgets the key when it commits.
     */
    async shredSubject(tx, teamId, subjectId) {
        this.cache.delete(`s:${teamId}:${subjectId}`);
        this.createdIn.get(tx)?.delete(`s:${teamId}:${subjectId}`);
        const r = await tx.query(`DELETE FROM subject_keys WHERE team_id = $1 AND subject_id = $2`, [teamId, subjectId]);
        await tx.announce({ topic: SUBJECT_SHREDDED, teamId, id: subjectId });
        return r.rowCount > 0;
    }
    /** Seal under the team's current key (team-level data: notes about the team, settings). */
    async sealForTeam(tx, where, plaintext) {
        const team = await this.currentTeamKey(tx, where.teamId);
        return seal(team.key, team.version, plaintext, contextOf(where));
    }
    async openForTeam(tx, where, sealed) {
        const key = await this.teamKey(tx, where.teamId, keyVersionOf(sealed));
        return open(key, sealed, contextOf(where));
    }
    /**
     * Seal a person's data under their subject key. The key is made with the person
     * (`subjectKeysFor` with `create`), never here: a key that is missing was shredded — the person
     * was erased since the caller found them — and a new one would hold data erasure must not leave.
     */
    async sealForSubject(tx, subjectId, where, plaintext) {
        const key = await this.subjectKey(tx, where.teamId, subjectId, { create: false });
        if (!key)
            throw new SubjectKeyGone();
        return seal(key, 1, plaintext, contextOf(where));
    }
    /** Open a person's data; null when their key was shredded (erased). */
    async openForSubject(tx, subjectId, where, sealed) {
        const key = await this.subjectKey(tx, where.teamId, subjectId, { create: false });
        return key ? open(key, sealed, contextOf(where)) : null;
    }
    /**
     * After a team key rotation: re-wrap the team's subject keys under the current version, in
     * batches of their own transactions, so reads go on throughout (every version stays readable).
     * A transaction that began before the rotation committed may still write a key under the old
     * version, invisible until it commits; and a row another transaction holds is skipped. So, on
     * PostgreSQL, once the batches run dry the re-wrap waits (up to `settleMs`) for every transaction
     * older than that moment to end, and goes through once more. Returns how many were re-wrapped,
     * how many are `left` under an older version, and whether every older transaction had ended
     * (`settled`: if not, one still running may yet commit a key under an older version).
     */
    async rewrapSubjectKeys(engine, teamId, options = {}) {
        const batch = options.batch ?? 500;
        const underOlderThan = (tx, version) => tx.query(`SELECT count(*) AS n FROM subject_keys WHERE team_id = $1 AND team_key_version < $2`, [teamId, version]).then((r) => Number(r.rows[0].n));
        const { version, total } = await withTeam(engine, teamId, async (tx) => {
            const current = await this.currentTeamKey(tx, teamId);
            return { version: current.version, total: await underOlderThan(tx, current.version) };
        });
        let rewrapped = 0;
        let rounds = 0;
        options.onProgress?.(0, total);
        const rewrapUntilDry = async () => {
            for (; options.maxBatches === undefined || rounds < options.maxBatches; rounds++) {
                const done = await withTeam(engine, teamId, (tx) => this.rewrapBatch(tx, teamId, version, batch));
                rewrapped += done;
                if (done > 0)
                    options.onProgress?.(rewrapped, Math.max(total, rewrapped));
                if (done < batch)
                    return true;
            }
            return false;
        };
        let settled = true;
        if ((await rewrapUntilDry()) && engine.kind === 'postgres') {
            settled = await waitForOlderTransactions(engine, options.settleMs ?? 60_000);
            await rewrapUntilDry();
        }
        return { total, rewrapped, version, left: await withTeam(engine, teamId, (tx) => underOlderThan(tx, version)), settled };
    }
    async rewrapBatch(tx, teamId, version, batch) {
        const current = await this.teamKey(tx, teamId, version);
        const rows = await tx.query(`SELECT subject_id, wrapped_key FROM subject_keys WHERE team_id = $1 AND team_key_version < $2
        ORDER BY subject_id LIMIT $3 FOR UPDATE SKIP LOCKED`, [teamId, version, batch]);
        for (const row of rows.rows) {
            const wrapped = Buffer.from(row.wrapped_key);
            const old = await this.teamKey(tx, teamId, keyVersionOf(wrapped));
            const context = subjectKeyContext(teamId, row.subject_id);
            const subjectKey = open(old, wrapped, context);
            await tx.query(`UPDATE subject_keys SET wrapped_key = $3, team_key_version = $4 WHERE team_id = $1 AND subject_id = $2`, [
                teamId,
                row.subject_id,
                seal(current, version, subjectKey, context),
                version,
            ]);
        }
        return rows.rows.length;
    }
    get cachedKeys() {
        return this.cache.size;
    }
}
async function refuseUnlessRoleReadsEveryTeam(tx) {
    const who = await tx.query(`SELECT rolsuper OR rolbypassrls AS all FROM pg_roles WHERE rolname = current_user`);
    if (!who.rows[0]?.all)
        throw new MasterKeyError('Rotating the master key reads every team: run it as a database role that bypasses row-level security. Nothing was changed.');
}
/**
 * Whether this database role can rotate the master key, asked before anything is written (the
 * new key file included), so a refused rotation leaves nothing behind. The rotation asks again
 * inside its transaction.
 */
export async function checkMasterRotationAllowed(engine) {
    await engine.ownerTransaction((tx) => refuseUnlessRoleReadsEveryTeam(tx));
}
/**
 * Master key rotation: every team key, every blind-index root, the account-key root and the check value are unwrapped
 * with the old master key and wrapped with the new one, in ONE transaction — the database is under
 * one master key or the other, never both. Team keys are few (one per team and version), so this
 * is quick; subject keys and data are untouched. Run with Haven stopped, then start it with the
 * new key. Reads across teams: needs a database role that bypasses RLS (superuser on PGlite).
 */
export async function rewrapUnderNewMaster(engine, oldMaster, newMaster, onProgress) {
    return engine.ownerTransaction(async (tx) => {
        await refuseUnlessRoleReadsEveryTeam(tx);
        const check = (await tx.query(`SELECT sealed FROM keyring_master_check WHERE id = 1`)).rows[0];
        if (check) {
            try {
                open(oldMaster, Buffer.from(check.sealed), CHECK_CONTEXT);
            }
            catch {
                throw new MasterKeyError('The current master key does not open this database; nothing was changed.');
            }
        }
        const teamKeys = await tx.query(`SELECT team_id, version, wrapped_key FROM team_keys`);
        const roots = await tx.query(`SELECT team_id, wrapped_key FROM team_index_keys`);
        const accountRoot = (await tx.query(`SELECT wrapped_key FROM account_key_root WHERE id = 1`)).rows[0];
        const total = teamKeys.rows.length + roots.rows.length + (accountRoot ? 1 : 0);
        let done = 0;
        onProgress?.(0, total);
        for (const k of teamKeys.rows) {
            const context = teamKeyContext(k.team_id, k.version);
            const key = open(oldMaster, Buffer.from(k.wrapped_key), context);
            await tx.query(`UPDATE team_keys SET wrapped_key = $3 WHERE team_id = $1 AND version = $2`, [k.team_id, k.version, seal(newMaster, MASTER_VERSION, key, context)]);
            onProgress?.(++done, total);
        }
        for (const r of roots.rows) {
            const context = indexRootContext(r.team_id);
            const root = open(oldMaster, Buffer.from(r.wrapped_key), context);
            await tx.query(`UPDATE team_index_keys SET wrapped_key = $2 WHERE team_id = $1`, [r.team_id, seal(newMaster, MASTER_VERSION, root, context)]);
            onProgress?.(++done, total);
        }
        if (accountRoot) {
            const root = open(oldMaster, Buffer.from(accountRoot.wrapped_key), accountRootContext);
            await tx.query(`UPDATE account_key_root SET wrapped_key = $1 WHERE id = 1`, [seal(newMaster, MASTER_VERSION, root, accountRootContext)]);
            onProgress?.(++done, total);
        }
        await tx.query(`INSERT INTO keyring_master_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed, created_at = now()`, [seal(newMaster, MASTER_VERSION, CHECK_PLAINTEXT, CHECK_CONTEXT)]);
        // Every team with a key re-wrapped: a team key, or only its blind-index root (a team that has
        // not sealed anything yet).
        for (const teamId of [...new Set([...teamKeys.rows, ...roots.rows].map((k) => k.team_id))].sort()) {
            await audit.record(tx, { teamId, actor: { type: 'operator', id: null }, action: 'keys.master_rotated', details: { teamKeys: teamKeys.rows.filter((k) => k.team_id === teamId).length } });
        }
        return { teamKeys: teamKeys.rows.length, indexRoots: roots.rows.length, accountRoot: accountRoot !== undefined };
    });
}
//# sourceMappingURL=keyring.js.map