import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import { createHaven } from '../src/app.js';
import { checkpointTeams } from '../src/modules/audit/index.js';
import { PeopleService } from '../src/modules/people/index.js';
import { configFromEnv } from '../src/platform/config.js';
import { Keyring } from '../src/platform/crypto/keyring.js';
import { envMasterKey } from '../src/platform/crypto/master-key/env/env-master-key.js';
import { MasterKeyError } from '../src/platform/crypto/master-key/provider.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { createLogger } from '../src/platform/log.js';
import { signUp } from './support/client.js';
import { ENGINES, describeEngines, freshEngine } from './support/haven.js';
const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
describeEngines('team key rotation', (haven) => {
    it('new data uses the new version at once; every person stays readable before, during and after the re-wrap', async () => {
        const a = await signUp(haven().server);
        const created = [];
        for (let i = 0; i < 5; i++) {
            const r = await a.client.post('/api/v1/people', { name: `Person ${i}`, emails: [`p${i}-${a.teamId.slice(0, 6)}@example.test`] });
            assert.equal(r.status, 201);
            created.push(r.body.id);
        }
        const { engine, keyring } = haven();
        const versions = () => engine.ownerTransaction(async (tx) => (await tx.query(`SELECT team_key_version AS v FROM subject_keys WHERE team_id = $1 ORDER BY subject_id`, [a.teamId])).rows.map((r) => r.v));
        // A keyring with an empty cache proves reads really unwrap through the stored keys.
        const coldRead = async () => {
            const cold = await Keyring.open(engine, envMasterKey(haven().config.masterKey));
            const people = new PeopleService(cold);
            return withTeam(engine, a.teamId, async (tx) => {
                const out = [];
                for (const id of created)
                    out.push((await people.get(tx, a.teamId, id)).name);
                return out;
            });
        };
        const names = created.map((_, i) => `Person ${i}`);
        const v2 = await withTeam(engine, a.teamId, (tx) => keyring.rotateTeamKey(tx, a.teamId));
        assert.equal(v2, 2);
        assert.deepEqual(await coldRead(), names, 'readable right after rotation');
        const newcomer = await a.client.post('/api/v1/people', { name: 'Newcomer' });
        created.push(newcomer.body.id);
        names.push('Newcomer');
        assert.equal((await versions()).filter((v) => v === 2).length, 1, 'the new subject key is wrapped under version 2 at once');
        const partial = await keyring.rewrapSubjectKeys(engine, a.teamId, { batch: 2, maxBatches: 1 });
        assert.deepEqual(partial, { total: 5, rewrapped: 2, version: 2, left: 3, settled: true });
        assert.deepEqual(await coldRead(), names, 'readable mid-way, with both versions in use');
        const progress = [];
        const rest = await keyring.rewrapSubjectKeys(engine, a.teamId, { batch: 2, onProgress: (d) => progress.push(d) });
        assert.equal(rest.rewrapped, 3);
        assert.deepEqual(progress, [0, 2, 3]);
        assert.deepEqual(await versions(), [2, 2, 2, 2, 2, 2]);
        assert.deepEqual(await coldRead(), names, 'readable after');
        const list = await a.client.get('/api/v1/people?limit=10');
        assert.equal(list.body.people.length, 6);
    });
    it('a subject key written under the old version by a transaction that began before the rotation is re-wrapped too, or reported', async (t) => {
        const { engine, keyring } = haven();
        if (engine.kind !== 'postgres')
            return t.skip('PGlite runs one transaction at a time: none can straddle the rotation');
        const a = await signUp(haven().server, 'straddle');
        assert.equal((await a.client.post('/api/v1/people', { name: 'Before' })).status, 201);
        const versions = () => engine.ownerTransaction(async (tx) => (await tx.query(`SELECT team_key_version AS v FROM subject_keys WHERE team_id = $1 ORDER BY v`, [a.teamId])).rows.map((r) => r.v));
        /** A transaction that writes a new subject key before the rotation and commits when let go. */
        const straddler = async () => {
            let letGo;
            const released = new Promise((resolve) => (letGo = resolve));
            let written;
            const wrote = new Promise((resolve) => (written = resolve));
            const done = withTeam(engine, a.teamId, async (tx) => {
                await keyring.subjectKeysFor(tx, a.teamId, [randomUUID()], { create: true });
                written();
                await released;
            });
            await wrote;
            return { letGo, done };
        };
        const first = await straddler();
        const version = await withTeam(engine, a.teamId, (tx) => keyring.rotateTeamKey(tx, a.teamId));
        setTimeout(first.letGo, 300); // commits while the re-wrap waits for it
        const settled = await keyring.rewrapSubjectKeys(engine, a.teamId, { settleMs: 10_000 });
        await first.done;
        assert.deepEqual([settled.left, settled.settled], [0, true]);
        assert.deepEqual(await versions(), [version, version], 'the late key was re-wrapped as well');
        const second = await straddler();
        const next = await withTeam(engine, a.teamId, (tx) => keyring.rotateTeamKey(tx, a.teamId));
        const unsettled = await keyring.rewrapSubjectKeys(engine, a.teamId, { settleMs: 200 });
        assert.equal(unsettled.settled, false, 'said: a transaction older than the rotation still runs');
        second.letGo();
        await second.done;
        assert.deepEqual(await versions(), [version, next, next], 'its key came in under the old version');
        const finish = await keyring.rewrapSubjectKeys(engine, a.teamId, { settleMs: 10_000 });
        assert.deepEqual([finish.rewrapped, finish.left, finish.settled], [1, 0, true], 'a later re-wrap (--rewrap) finishes it');
        assert.deepEqual(await versions(), [next, next, next]);
    });
});
describe('haven keys rotate (CLI)', () => {
    for (const kind of ENGINES) {
        it(`[${kind}] --team rotates and re-wraps; --master re-wraps every team key under a new master key`, async () => {
            const dataDir = mkdtempSync(join(tmpdir(), 'haven-rotate-'));
            const db = kind === 'postgres' ? await freshEngine('postgres') : undefined;
            await db?.engine.close();
            // PGlite: the key file provider (rotation writes a new file). PostgreSQL: HAVEN_MASTER_KEY.
            const envKey = kind === 'postgres' ? randomBytes(32).toString('base64') : undefined;
            const env = { ...process.env, DATABASE_URL: db?.url ?? '', HAVEN_DATA_DIR: dataDir, HAVEN_MASTER_KEY: envKey ?? '' };
            const config = (masterKey) => ({ ...configFromEnv({}), dataDir, databaseUrl: db?.url, masterKey });
            const quiet = createLogger({ level: 'silent' });
            try {
                const first = await createHaven(config(envKey), quiet);
                const a = await signUp(first.server);
                const person = await a.client.post('/api/v1/people', { name: 'Grace Hopper', emails: ['grace@example.test'] });
                await checkpointTeams({ engine: first.engine, keyring: first.keyring, logger: quiet });
                await first.close();
                const team = spawnSync(process.execPath, [cli, 'keys', 'rotate', '--team', a.teamId], { env, encoding: 'utf8' });
                assert.equal(team.status, 0, team.stderr);
                assert.match(team.stdout, /Team key version 2 is in use/);
                assert.match(team.stdout, /Re-wrapped 1 subject key\(s\) under team key version 2/);
                const newKey = randomBytes(32).toString('base64');
                const oldFile = kind === 'pglite' ? readFileSync(join(dataDir, 'master.key'), 'utf8') : undefined;
                const master = spawnSync(process.execPath, [cli, 'keys', 'rotate', '--master'], { env: { ...env, HAVEN_NEW_MASTER_KEY: newKey }, encoding: 'utf8' });
                assert.equal(master.status, 0, master.stderr);
                assert.match(master.stdout, /Re-wrapped 2 team key\(s\), 1 index root\(s\) and the account-key root under the new master key/);
                const currentKey = kind === 'postgres' ? newKey : undefined;
                if (oldFile) {
                    assert.notEqual(readFileSync(join(dataDir, 'master.key'), 'utf8'), oldFile, 'the key file holds the new key');
                    // The old key is kept for the backups made under it, and the operator told where.
                    const kept = readdirSync(dataDir).filter((f) => f.startsWith('master.key.previous-'));
                    assert.equal(kept.length, 1, readdirSync(dataDir).join(', '));
                    assert.equal(readFileSync(join(dataDir, kept[0]), 'utf8'), oldFile);
                    assert.equal(statSync(join(dataDir, kept[0])).mode & 0o777, 0o600);
                    assert.match(master.stdout, new RegExp(`Backups made before now open only with the old key, kept in .*${kept[0]}`));
                }
                else
                    assert.match(master.stdout, /Backups made before now open only with the old key \(HAVEN_MASTER_KEY until now\)/);
                const oldKey = kind === 'postgres' ? envKey : oldFile.trim();
                await assert.rejects(createHaven(config(oldKey), quiet), MasterKeyError, 'the old master key no longer opens the database');
                const after = await createHaven(config(currentKey), quiet);
                try {
                    const signIn = await after.server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: a.email, password: 'correct horse battery staple' } });
                    const cookie = signIn.cookies.find((c) => c.name === '__Host-haven_session').value;
                    const read = await after.server.inject({ url: `/api/v1/people?email=grace@example.test`, headers: { cookie: `__Host-haven_session=${cookie}` } });
                    assert.equal(read.statusCode, 200);
                    assert.deepEqual(read.json().people.map((p) => [p.id, p.name]), [[person.body.id, 'Grace Hopper']]);
                    const log = await after.server.inject({ url: '/api/v1/audit?action=keys', headers: { cookie: `__Host-haven_session=${cookie}` } });
                    assert.deepEqual(log.json().entries.map((e) => e.action), ['keys.master_rotated', 'keys.team_rotated']);
                    const chain = (await after.server.inject({ url: '/api/v1/audit/verify', headers: { cookie: `__Host-haven_session=${cookie}` } })).json();
                    assert.deepEqual([chain.valid, chain.checkpoint?.seq], [true, 3], 'a checkpoint made under the old master key still verifies');
                }
                finally {
                    await after.close();
                }
                const usage = spawnSync(process.execPath, [cli, 'keys', 'rotate'], { env, encoding: 'utf8' });
                assert.equal(usage.status, 2);
            }
            finally {
                rmSync(dataDir, { recursive: true, force: true });
                await db?.drop();
            }
        });
    }
});
describe('haven keys rotate --master, refused', () => {
    it('[postgres] a role that cannot read every team is refused before master.key.new is written', { skip: !ENGINES.includes('postgres') }, async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'haven-rotate-refused-'));
        const db = await freshEngine('postgres');
        await db.engine.close();
        // A login role with the owner's table privileges (by membership) but neither SUPERUSER nor BYPASSRLS.
        const role = `haven_rotator_${randomBytes(4).toString('hex')}`;
        const admin = async (sql) => {
            const c = new pg.Client({ connectionString: process.env.HAVEN_TEST_DATABASE_URL });
            await c.connect();
            try {
                await c.query(sql);
            }
            finally {
                await c.end();
            }
        };
        try {
            const first = await createHaven({ ...configFromEnv({}), dataDir, databaseUrl: db.url }, createLogger({ level: 'silent' }));
            await first.close();
            const key = readFileSync(join(dataDir, 'master.key'), 'utf8');
            await admin(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS; GRANT ${new URL(db.url).username} TO ${role}`);
            const url = new URL(db.url);
            url.username = role;
            const env = { ...process.env, DATABASE_URL: url.toString(), HAVEN_DATA_DIR: dataDir, HAVEN_MASTER_KEY: '' };
            const r = spawnSync(process.execPath, [cli, 'keys', 'rotate', '--master'], { env, encoding: 'utf8' });
            assert.equal(r.status, 2, r.stderr);
            assert.match(r.stderr, /bypasses row-level security/);
            assert.equal(existsSync(join(dataDir, 'master.key.new')), false, 'no stray new key file');
            assert.equal(readFileSync(join(dataDir, 'master.key'), 'utf8'), key, 'the key file is untouched');
        }
        finally {
            rmSync(dataDir, { recursive: true, force: true });
            await db.drop();
            await admin(`DROP ROLE IF EXISTS ${role}`);
        }
    });
});
//# sourceMappingURL=key-rotation.test.js.map