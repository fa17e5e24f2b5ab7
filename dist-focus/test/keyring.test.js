import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createHaven } from '../src/app.js';
import { configFromEnv } from '../src/platform/config.js';
import { DecryptError } from '../src/platform/crypto/aead.js';
import { Keyring, SubjectKeyGone } from '../src/platform/crypto/keyring.js';
import { envMasterKey } from '../src/platform/crypto/master-key/env/env-master-key.js';
import { MasterKeyError } from '../src/platform/crypto/master-key/provider.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { createLogger } from '../src/platform/log.js';
import { signUp } from './support/client.js';
import { ENGINES, describeEngines, freshEngine } from './support/haven.js';
const quiet = () => createLogger({ level: 'silent' });
describeEngines('keyring (I2): team keys, subject keys, context binding', (haven) => {
    const where = (teamId, rowId, column = 'name') => ({ teamId, table: 'people', column, rowId });
    it('seals under the subject key; a shredded key leaves nothing readable', async () => {
        const { teamId } = await signUp(haven().server);
        const { keyring, engine } = haven();
        const person = randomUUID();
        // A person's key is made with the person (addPeople), never by sealing: an erased one stays gone.
        await assert.rejects(withTeam(engine, teamId, (tx) => keyring.sealForSubject(tx, person, where(teamId, person), Buffer.from('x'))), SubjectKeyGone);
        await withTeam(engine, teamId, (tx) => keyring.subjectKeysFor(tx, teamId, [person], { create: true }));
        const sealed = await withTeam(engine, teamId, (tx) => keyring.sealForSubject(tx, person, where(teamId, person), Buffer.from('Ada Lovelace')));
        assert.equal(sealed.includes(Buffer.from('Ada')), false);
        const opened = await withTeam(engine, teamId, (tx) => keyring.openForSubject(tx, person, where(teamId, person), sealed));
        assert.equal(opened?.toString(), 'Ada Lovelace');
        assert.ok(await withTeam(engine, teamId, (tx) => keyring.shredSubject(tx, teamId, person)));
        const after = await withTeam(engine, teamId, (tx) => keyring.openForSubject(tx, person, where(teamId, person), sealed));
        assert.equal(after, null);
        await assert.rejects(withTeam(engine, teamId, (tx) => keyring.sealForSubject(tx, person, where(teamId, person), Buffer.from('again'))), SubjectKeyGone, 'no new key for a shredded subject');
        assert.equal((await withTeam(engine, teamId, (tx) => keyring.subjectKeysFor(tx, teamId, [person], { create: false }))).size, 0);
    });
    it('a ciphertext copied to another row, column or team fails with DecryptError', async () => {
        const a = await signUp(haven().server);
        const b = await signUp(haven().server);
        const { keyring, engine } = haven();
        const row = randomUUID();
        const sealed = await withTeam(engine, a.teamId, (tx) => keyring.sealForTeam(tx, where(a.teamId, row), Buffer.from('secret')));
        await withTeam(engine, a.teamId, async (tx) => {
            await assert.rejects(keyring.openForTeam(tx, where(a.teamId, randomUUID()), sealed), DecryptError);
            await assert.rejects(keyring.openForTeam(tx, where(a.teamId, row, 'email'), sealed), DecryptError);
        });
        await withTeam(engine, b.teamId, async (tx) => {
            await keyring.currentTeamKey(tx, b.teamId);
            await assert.rejects(keyring.openForTeam(tx, where(b.teamId, row), sealed), DecryptError);
        });
    });
    it('rotating a team key: new data uses the new version at once, old data stays readable', async () => {
        const { teamId } = await signUp(haven().server);
        const { keyring, engine } = haven();
        const row = randomUUID();
        const old = await withTeam(engine, teamId, (tx) => keyring.sealForTeam(tx, where(teamId, row), Buffer.from('before')));
        const version = await withTeam(engine, teamId, (tx) => keyring.rotateTeamKey(tx, teamId));
        assert.equal(version, 2);
        const fresh = await withTeam(engine, teamId, (tx) => keyring.sealForTeam(tx, where(teamId, row), Buffer.from('after')));
        assert.equal(fresh.readUInt32BE(1), 2);
        assert.equal(old.readUInt32BE(1), 1);
        const both = await withTeam(engine, teamId, async (tx) => [
            (await keyring.openForTeam(tx, where(teamId, row), old)).toString(),
            (await keyring.openForTeam(tx, where(teamId, row), fresh)).toString(),
        ]);
        assert.deepEqual(both, ['before', 'after']);
    });
    it('a key made in a transaction that rolled back is not remembered: the key another node then made is used', async () => {
        const { teamId } = await signUp(haven().server);
        const { keyring: nodeA, engine, config } = haven();
        const nodeB = await Keyring.open(engine, envMasterKey(config.masterKey));
        const person = randomUUID();
        const rolledBack = new Error('rolled back');
        // Node A rotates the team key and makes a subject key, then its transaction rolls back.
        await assert.rejects(withTeam(engine, teamId, async (tx) => {
            await nodeA.rotateTeamKey(tx, teamId);
            await nodeA.subjectKey(tx, teamId, person, { create: true });
            throw rolledBack;
        }), rolledBack);
        // Node B does the same, and commits: the version and the subject key exist now, with B's bytes.
        const b = await withTeam(engine, teamId, async (tx) => {
            const version = await nodeB.rotateTeamKey(tx, teamId);
            return { team: await nodeB.teamKey(tx, teamId, version), subject: await nodeB.subjectKey(tx, teamId, person, { create: true }) };
        });
        const a = await withTeam(engine, teamId, async (tx) => ({
            team: (await nodeA.currentTeamKey(tx, teamId)).key,
            subject: await nodeA.subjectKey(tx, teamId, person, { create: false }),
        }));
        assert.ok(a.team.equals(b.team), 'node A uses the stored team key, not the one it made and lost');
        assert.ok(a.subject?.equals(b.subject), 'node A uses the stored subject key');
        const sealed = await withTeam(engine, teamId, (tx) => nodeA.sealForSubject(tx, person, where(teamId, person), Buffer.from('Ada')));
        assert.equal((await withTeam(engine, teamId, (tx) => nodeB.openForSubject(tx, person, where(teamId, person), sealed)))?.toString(), 'Ada');
    });
    it('a subject key made and shredded in one transaction is not remembered after it commits', async () => {
        const { teamId } = await signUp(haven().server);
        const { keyring, engine } = haven();
        const person = randomUUID();
        await withTeam(engine, teamId, async (tx) => {
            await keyring.subjectKey(tx, teamId, person, { create: true });
            await keyring.shredSubject(tx, teamId, person);
        });
        assert.equal(await withTeam(engine, teamId, (tx) => keyring.subjectKey(tx, teamId, person, { create: false })), null);
    });
    it('a failing whenDone callback neither fails a committed transaction nor stops the others', async () => {
        const { teamId } = await signUp(haven().server);
        let ran = false;
        const warned = new Promise((resolve) => process.once('warning', resolve));
        const value = await withTeam(haven().engine, teamId, async (tx) => {
            tx.whenDone(() => {
                throw new Error('boom');
            });
            tx.whenDone((committed) => (ran = committed));
            return 42;
        });
        assert.equal(value, 42);
        assert.equal(ran, true);
        assert.match(String((await warned).message), /whenDone callback failed: boom/);
    });
    it('stores team and subject keys only wrapped', async () => {
        const { teamId } = await signUp(haven().server);
        const { keyring, engine } = haven();
        const person = randomUUID();
        await withTeam(engine, teamId, (tx) => keyring.subjectKeysFor(tx, teamId, [person], { create: true }));
        await withTeam(engine, teamId, (tx) => keyring.sealForSubject(tx, person, where(teamId, person), Buffer.from('x')));
        const rows = await engine.ownerTransaction((tx) => tx.query(`SELECT count(*) AS n, min(length(wrapped_key)) AS len FROM subject_keys WHERE team_id = $1`, [teamId]));
        assert.equal(rows.rows[0].n, 1);
        assert.equal(rows.rows[0].len, 32 + 33, 'a 32-byte key plus the envelope');
    });
});
describe('master key check', () => {
    for (const kind of ENGINES) {
        it(`[${kind}] started with the wrong master key, Haven refuses and touches nothing`, async () => {
            const dataDir = mkdtempSync(join(tmpdir(), 'haven-key-'));
            const db = kind === 'postgres' ? await freshEngine('postgres') : undefined;
            await db?.engine.close();
            const config = (masterKey) => ({ ...configFromEnv({}), dataDir, databaseUrl: db?.url, masterKey });
            try {
                const right = randomBytes(32).toString('base64');
                const first = await createHaven(config(right), quiet());
                await signUp(first.server);
                const count = () => first.engine.ownerTransaction(async (tx) => (await tx.query(`SELECT count(*) AS n FROM haven_migrations`)).rows[0].n);
                const migrations = await count();
                await first.close();
                await assert.rejects(createHaven(config(randomBytes(32).toString('base64')), quiet()), (e) => {
                    assert.ok(e instanceof MasterKeyError);
                    assert.match(e.message, /not the key this database was created with/);
                    return true;
                });
                const again = await createHaven(config(right), quiet());
                const n = await again.engine.ownerTransaction(async (tx) => (await tx.query(`SELECT count(*) AS n FROM haven_migrations`)).rows[0].n);
                assert.equal(n, migrations);
                await again.close();
            }
            finally {
                rmSync(dataDir, { recursive: true, force: true });
                await db?.drop();
            }
        });
    }
});
describe('a missing master key file', () => {
    for (const kind of ENGINES) {
        it(`[${kind}] a fresh install makes master.key (0600); once the database holds keys, a missing file is refused and no new key is made`, async () => {
            const dataDir = mkdtempSync(join(tmpdir(), 'haven-key-'));
            const db = kind === 'postgres' ? await freshEngine('postgres') : undefined;
            await db?.engine.close();
            const config = { ...configFromEnv({}), dataDir, databaseUrl: db?.url, masterKey: undefined };
            const keyFile = join(dataDir, 'master.key');
            try {
                const first = await createHaven(config, quiet());
                await signUp(first.server);
                await first.close();
                assert.equal(statSync(keyFile).mode & 0o777, 0o600);
                rmSync(keyFile);
                await assert.rejects(createHaven(config, quiet()), (e) => {
                    assert.ok(e instanceof MasterKeyError);
                    assert.match(e.message, /already holds data sealed under a master key/);
                    assert.match(e.message, /Put the original key back/);
                    return true;
                });
                assert.equal(existsSync(keyFile), false, 'no new key was made');
            }
            finally {
                rmSync(dataDir, { recursive: true, force: true });
                await db?.drop();
            }
        });
    }
});
//# sourceMappingURL=keyring.test.js.map