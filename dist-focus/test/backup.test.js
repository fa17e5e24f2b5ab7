import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { createHaven } from '../src/app.js';
import { replaySteps } from '../src/cli/restore.js';
import { deleteDueTeams, renewGraceAfterRestore } from '../src/modules/accounts/index.js';
import { allMigrations } from '../src/modules/index.js';
import { audit, makeCheckpoint } from '../src/platform/audit/index.js';
import { ArchiveError, BackupRefusedError, manifestMac, restoreBackup, verifyArchive, writeBackup } from '../src/platform/backup/index.js';
import { configFromEnv } from '../src/platform/config.js';
import { AccountKeys } from '../src/platform/crypto/account-keys.js';
import { Keyring } from '../src/platform/crypto/keyring.js';
import { envMasterKey } from '../src/platform/crypto/master-key/env/env-master-key.js';
import { MasterKeyError } from '../src/platform/crypto/master-key/provider.js';
import { listTables, quoteIdent } from '../src/platform/db/catalogue.js';
import { deleteTeamData, deletionCertificates } from '../src/platform/db/delete-team-data.js';
import { migrate } from '../src/platform/db/migrations.js';
import { openPGlite } from '../src/platform/db/pglite-engine.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { openErasureLedger } from '../src/platform/erasure-ledger/index.js';
import { createLogger } from '../src/platform/log.js';
import { TestClient } from './support/client.js';
import { ENGINES, freshEngine, startTestHaven } from './support/haven.js';
import { tempDirs } from './support/temp-dirs.js';
import { newestPgBin, readTree, scan } from './support/raw-scan.js';
import { plantTeam, tablesHolding } from './support/team-data.js';
/**
 * Backup and restore (issue 6, item 9) with the erasure ledger (item 3): a round trip gives back
 * every table row for row, on the same engine and across engines; a corrupt, truncated, tampered
 * or foreign-key archive is refused before anything is touched; and — the proof — an erasure made
 * after a backup survives restoring that backup: the person is gone, their keys too, and no raw
 * byte of the restored database holds any of their values.
 */
const masterKey = randomBytes(32).toString('base64');
const master = Buffer.from(masterKey, 'base64');
const provider = envMasterKey(masterKey);
const knownMigrations = allMigrations.map((m) => m.id);
/** Records of erasures that name erased ids by design (ids only). */
const OUTLIVING = new Set(['erasure_ledger', 'team_deletion_certificates']);
const newDir = tempDirs();
const tempDir = (tag = 'backup') => newDir(tag);
const freshLedger = () => {
    const d = tempDir('ledger');
    return openErasureLedger({ erasureLedger: join(d, 'erasure-ledger.jsonl'), dataDir: d });
};
/** Every table but the migration list: row count and an md5 over the sorted rows, times in UTC. */
async function fingerprint(engine) {
    return engine.ownerTransaction(async (tx) => {
        await tx.query(`SET LOCAL TimeZone = 'UTC'`);
        const out = {};
        for (const t of await listTables(tx)) {
            if (t.name === 'haven_migrations')
                continue;
            const r = await tx.query(`SELECT count(*)::int AS rows, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS md5 FROM (SELECT md5(x::text) AS h FROM ${quoteIdent(t.name)} x) s`);
            out[t.name] = r.rows[0];
        }
        return out;
    });
}
async function backupOf(engine, ledger) {
    const file = join(tempDir('archive'), 'haven.tar.gz');
    await writeBackup(engine, file, { master, ledger });
    return file;
}
async function restoreInto(target, file, options = {}) {
    const manifest = await verifyArchive(file, { master, knownMigrations });
    const keyring = await Keyring.open(target, provider);
    return restoreBackup(target, file, manifest, { keyring, migrations: allMigrations, ...replaySteps, ...options });
}
/** A Haven on a restored database, and a client carrying a session that was restored with it. */
async function havenOn(engine, session) {
    const config = { ...configFromEnv({}), rateLimitPerMinute: 1_000_000, masterKey };
    const h = await createHaven(config, createLogger({ level: 'silent' }), { engine, jobs: 'manual' });
    const client = new TestClient(h.server);
    client.cookie = session.client.cookie;
    client.csrfToken = session.client.csrfToken;
    return { haven: h, client };
}
/** Erase a person as the privacy module does, in its essentials: ledger first, then keys and row. */
async function erase(source, ledger, teamId, personId, options = {}) {
    await withTeam(source.engine, teamId, async (tx) => {
        const merged = await tx.query(`SELECT subject_id FROM person_subjects WHERE team_id = $1 AND person_id = $2`, [teamId, personId]);
        const subjectIds = [personId, ...merged.rows.map((r) => r.subject_id)];
        await ledger.append({ kind: 'person', teamId, personId, subjectIds, erasedAt: new Date().toISOString() }, options.copyToDatabase ? tx : undefined);
        for (const s of subjectIds)
            await source.keyring.shredSubject(tx, teamId, s);
        await tx.query(`DELETE FROM people WHERE team_id = $1 AND id = $2`, [teamId, personId]);
    });
}
async function rewrite(file, edit) {
    const dir = tempDir('repack');
    const members = [];
    await tar.x({ file, cwd: dir, onReadEntry: (e) => void members.push(e.path) });
    const out = join(tempDir('tampered'), 'haven.tar.gz');
    await tar.c({ gzip: true, file: out, cwd: dir, portable: true }, edit(dir, members));
    return out;
}
for (const kind of ENGINES) {
    describe(`backup and restore [${kind}]`, () => {
        let source;
        let a;
        let b;
        before(async () => {
            source = await startTestHaven(kind, { masterKey, erasureLedger: join(tempDir('source-ledger'), 'erasure-ledger.jsonl') });
            a = await plantTeam(source.server, 'alpha', { people: 2, eventsPerPerson: 4 });
            b = await plantTeam(source.server, 'bravo', { people: 2, eventsPerPerson: 4 });
        });
        after(async () => {
            await source?.close();
        });
        it('round trip: every table comes back row for row; people, events and sessions work; audit chains verify', async () => {
            // Checkpoints are keyed by the team's index root, which travels with the team.
            for (const t of [a, b])
                assert.equal((await withTeam(source.engine, t.teamId, (tx) => makeCheckpoint(tx, source.keyring, t.teamId))).made, true);
            const file = await backupOf(source.engine);
            const manifest = await verifyArchive(file, { master, knownMigrations });
            assert.equal(statSync(file).mode & 0o777, 0o600);
            assert.equal(manifest.engine, kind);
            assert.deepEqual(new Set(manifest.migrations), new Set(knownMigrations));
            for (const t of ['people', 'events', 'audit_log', 'team_keys', 'subject_keys', 'keyring_master_check', 'erasure_ledger']) {
                assert.ok(manifest.tables.some((x) => x.name === t), `${t} is in the archive`);
            }
            assert.ok(manifest.tables.find((t) => t.name === 'events').rows >= 16);
            // Parents before children, so restore can load in archive order.
            const order = manifest.tables.map((t) => t.name);
            assert.ok(order.indexOf('teams') < order.indexOf('memberships') && order.indexOf('people') < order.indexOf('events'));
            const target = await freshEngine(kind);
            try {
                const report = await restoreInto(target.engine, file);
                assert.equal(report.rows, manifest.rows);
                assert.equal(report.replaced, false);
                assert.deepEqual(await fingerprint(target.engine), await fingerprint(source.engine), 'every table identical');
                const { haven: restored, client } = await havenOn(target.engine, a);
                try {
                    const people = await client.get('/api/v1/people');
                    assert.equal(people.status, 200, people.raw.body);
                    assert.deepEqual(people.body, (await a.client.get('/api/v1/people')).body);
                    const p = a.people[0];
                    assert.equal(people.body.people.find((x) => x.id === p.id).name, p.secrets[0]);
                    const activity = await client.get(`/api/v1/people/${p.id}/activity`);
                    assert.equal(activity.status, 200);
                    assert.equal(activity.body.activity.length, 4);
                    assert.deepEqual(activity.body, (await a.client.get(`/api/v1/people/${p.id}/activity`)).body);
                    for (const t of [a, b]) {
                        const chain = await withTeam(restored.engine, t.teamId, (tx) => audit.verify(tx, t.teamId, { keyring: restored.keyring }));
                        const original = await withTeam(source.engine, t.teamId, (tx) => audit.verify(tx, t.teamId, { keyring: source.keyring }));
                        assert.equal(chain.firstBreak, null);
                        assert.ok(chain.checkpoint, 'the checkpoint verifies under the restored key');
                        assert.ok(chain.entries > 3);
                        assert.equal(chain.entries, original.entries);
                    }
                    // The restored database takes new writes (sequences, keys, chain) like the original.
                    assert.equal((await client.post('/api/v1/people', { name: 'After restore' })).status, 201);
                    assert.equal((await withTeam(restored.engine, a.teamId, (tx) => audit.verify(tx, a.teamId, { keyring: restored.keyring }))).firstBreak, null);
                }
                finally {
                    await restored.close();
                }
            }
            finally {
                await target.drop();
            }
        });
        for (const other of ENGINES.filter((k) => k !== kind)) {
            it(`cross-engine: a ${kind} backup restores onto ${other}, row for row`, async () => {
                const file = await backupOf(source.engine);
                const target = await freshEngine(other);
                try {
                    await restoreInto(target.engine, file);
                    assert.deepEqual(await fingerprint(target.engine), await fingerprint(source.engine));
                    const { haven: restored, client } = await havenOn(target.engine, b);
                    try {
                        const p = b.people[1];
                        assert.equal((await client.get(`/api/v1/people/${p.id}`)).body.name, p.secrets[0]);
                    }
                    finally {
                        await restored.close();
                    }
                }
                finally {
                    await target.drop();
                }
            });
        }
        it('refuses a truncated, corrupt, tampered, incomplete or unsigned archive, and the wrong master key, before touching anything', async () => {
            const file = await backupOf(source.engine);
            const bytes = readFileSync(file);
            const dir = tempDir('bad');
            const bad = (name, content) => {
                const p = join(dir, name);
                writeFileSync(p, content);
                return p;
            };
            const flipped = Buffer.from(bytes);
            flipped[Math.floor(flipped.length / 2)] ^= 0x5a;
            const unsigned = await rewrite(file, (_d, members) => members.filter((m) => m !== 'manifest.hmac'));
            const cases = [
                ['truncated at 60%', bad('cut.tar.gz', bytes.subarray(0, Math.floor(bytes.length * 0.6))), /truncated or corrupt/],
                ['missing its last 8 bytes', bad('cut8.tar.gz', bytes.subarray(0, bytes.length - 8)), /truncated or corrupt/],
                ['one byte flipped', bad('flip.tar.gz', flipped), /truncated or corrupt/],
                ['not an archive', bad('text.tar.gz', Buffer.from('hello, this is not a backup\n'.repeat(50))), /truncated or corrupt|not a gzip/],
                [
                    'a row edited and re-packed (valid gzip)',
                    await rewrite(file, (d, members) => {
                        const p = join(d, 'tables/people.jsonl');
                        const text = readFileSync(p, 'utf8');
                        writeFileSync(p, text.replace(/"name_sealed":"\\\\x(..)/, (_m, hex) => `"name_sealed":"\\\\x${hex === 'ff' ? '00' : 'ff'}`));
                        assert.notEqual(readFileSync(p, 'utf8'), text);
                        return members;
                    }),
                    /does not match its checksum/,
                ],
                ['no manifest', await rewrite(file, (_d, members) => members.filter((m) => m !== 'manifest.json')), /no manifest/],
                ['a table missing', await rewrite(file, (_d, members) => members.filter((m) => m !== 'tables/events.jsonl')), /missing tables\/events.jsonl/],
                [
                    'an extra member',
                    await rewrite(file, (d, members) => {
                        writeFileSync(join(d, 'tables/smuggled.jsonl'), '{}\n');
                        return [...members.filter((m) => !m.startsWith('manifest.')), 'tables/smuggled.jsonl', 'manifest.json', 'manifest.hmac'];
                    }),
                    /does not list/,
                ],
                [
                    'from a newer Haven',
                    await rewrite(file, (d, members) => {
                        const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
                        m.migrations.push('future/0001_hover_cars');
                        writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
                        return members;
                    }),
                    /newer Haven/,
                ],
                [
                    // Someone with write access to backup storage but not the key: a member made owner, the
                    // table's checksum, size and rows fixed up in the manifest to match.
                    'a row changed and its checksum fixed up',
                    await rewrite(file, (d, members) => {
                        const table = join(d, 'tables/memberships.jsonl');
                        const changed = readFileSync(table, 'utf8').replaceAll('"role":"member"', '"role":"owner"').replaceAll('"role":"admin"', '"role":"owner"');
                        writeFileSync(table, changed);
                        const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
                        const t = m.tables.find((x) => x.name === 'memberships');
                        Object.assign(t, { sha256: createHash('sha256').update(changed).digest('hex'), bytes: Buffer.byteLength(changed), rows: changed.split('\n').length - 1 });
                        writeFileSync(join(d, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
                        return members;
                    }),
                    /signature does not match/,
                ],
                ['not signed (an older Haven\'s)', unsigned, /not signed.*--accept-unsigned/],
            ];
            await verifyArchive(unsigned, { master, knownMigrations, acceptUnsigned: true });
            for (const [what, path, expected] of cases) {
                await assert.rejects(verifyArchive(path, { master, knownMigrations }), (error) => {
                    assert.ok(error instanceof ArchiveError, `${what}: ${String(error)}`);
                    assert.match(error.message, expected, what);
                    return true;
                });
            }
            await assert.rejects(verifyArchive(file, { master: randomBytes(32), knownMigrations }), (error) => {
                assert.ok(error instanceof MasterKeyError);
                assert.match(error.message, /not the key this backup was made under/);
                return true;
            });
            // The archive itself was fine all along.
            await verifyArchive(file, { master, knownMigrations });
        });
        it('refuses an archive with a missing or repeated member, when checked and when swapped before the load, changing nothing', async () => {
            const file = await backupOf(source.engine);
            /** The manifest edited and signed again, as only someone holding the master key could. */
            const resigned = (edit) => (d, members) => {
                const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
                edit(m);
                const text = `${JSON.stringify(m, null, 2)}\n`;
                writeFileSync(join(d, 'manifest.json'), text);
                writeFileSync(join(d, 'manifest.hmac'), `${manifestMac(master, Buffer.from(text))}\n`);
                return members;
            };
            const repeated = await rewrite(file, (_d, members) => members.flatMap((m) => (m === 'tables/people.jsonl' ? [m, m] : [m])));
            const missing = await rewrite(file, (_d, members) => members.filter((m) => m !== 'tables/events.jsonl'));
            const manifestTwice = await rewrite(file, (_d, members) => members.flatMap((m) => (m === 'manifest.json' ? [m, m] : [m])));
            const listedTwice = await rewrite(file, resigned((m) => {
                m.tables.push({ ...m.tables.find((t) => t.name === 'people') });
            }));
            for (const [what, path, expected] of [
                ['a member repeated', repeated, /holds tables\/people.jsonl twice/],
                ['a member missing', missing, /missing tables\/events.jsonl/],
                ['the manifest repeated', manifestTwice, /holds manifest.json twice/],
                ['a table listed twice in a signed manifest', listedTwice, /lists tables\/people.jsonl twice/],
            ]) {
                await assert.rejects(verifyArchive(path, { master, knownMigrations }), (error) => {
                    assert.ok(error instanceof ArchiveError, `${what}: ${String(error)}`);
                    assert.match(error.message, expected, what);
                    return true;
                });
            }
            const target = await freshEngine(kind);
            try {
                await migrate(target.engine, allMigrations);
                await restoreInto(target.engine, file);
                const restored = await fingerprint(target.engine);
                const keyring = await Keyring.open(target.engine, provider);
                const restoreSwapped = async (swapIn, expected) => {
                    const swapped = join(tempDir('swapped'), 'haven.tar.gz');
                    writeFileSync(swapped, readFileSync(file));
                    const manifest = await verifyArchive(swapped, { master, knownMigrations });
                    // Checked, then swapped before the load (backup storage changing under the restore).
                    writeFileSync(swapped, readFileSync(swapIn));
                    await assert.rejects(restoreBackup(target.engine, swapped, manifest, { keyring, migrations: allMigrations, ...replaySteps, replace: true }), (error) => {
                        assert.ok(error instanceof ArchiveError, String(error));
                        assert.match(error.message, expected);
                        return true;
                    });
                    assert.deepEqual(await fingerprint(target.engine), restored, 'nothing changed');
                };
                await restoreSwapped(repeated, /holds tables\/people.jsonl twice/);
                await restoreSwapped(missing, /tables\/events.jsonl is missing/);
                await restoreSwapped(manifestTwice, /holds manifest.json twice/);
                // A signed manifest that leaves out a table and its member checks as whole, but the
                // table its migrations create would come back empty.
                const withoutEvents = await rewrite(file, (d, members) => resigned((m) => {
                    const events = m.tables.find((t) => t.name === 'events');
                    m.tables = m.tables.filter((t) => t !== events);
                    m.rows -= events.rows;
                })(d, members.filter((x) => x !== 'tables/events.jsonl')));
                const manifest = await verifyArchive(withoutEvents, { master, knownMigrations });
                await assert.rejects(restoreBackup(target.engine, withoutEvents, manifest, { keyring, migrations: allMigrations, ...replaySteps, replace: true }), (error) => {
                    assert.ok(error instanceof ArchiveError, String(error));
                    assert.match(error.message, /has no tables\/events.jsonl, a table its migrations create/);
                    return true;
                });
                assert.deepEqual(await fingerprint(target.engine), restored, 'nothing changed');
            }
            finally {
                await target.drop();
            }
        });
        it('refuses a target that holds data unless told to replace it; an archive that changes mid-restore rolls everything back', async () => {
            const file = await backupOf(source.engine);
            const target = await freshEngine(kind);
            try {
                // A target Haven started on once holds only what a first start writes (the account-key
                // root among it): that is still empty.
                await migrate(target.engine, allMigrations);
                await AccountKeys.load(target.engine, randomBytes(32));
                await restoreInto(target.engine, file);
                const restored = await fingerprint(target.engine);
                await assert.rejects(restoreInto(target.engine, file), (error) => {
                    assert.ok(error instanceof BackupRefusedError);
                    assert.match(error.message, /not empty/);
                    return true;
                });
                assert.deepEqual(await fingerprint(target.engine), restored);
                // Checked, then swapped for a tampered copy before the load: the one transaction rolls back,
                // the target's schema and rows included (even with --replace).
                const manifest = await verifyArchive(file, { master, knownMigrations });
                const tampered = await rewrite(file, (d, members) => {
                    const p = join(d, 'tables/events.jsonl');
                    writeFileSync(p, readFileSync(p, 'utf8').replace(/"name":"Viewed brochure"/, '"name":"Viewed brochurE"'));
                    return members;
                });
                writeFileSync(file, readFileSync(tampered));
                const keyring = await Keyring.open(target.engine, provider);
                await assert.rejects(restoreBackup(target.engine, file, manifest, { keyring, migrations: allMigrations, ...replaySteps, replace: true }), /changed since it was checked/);
                assert.deepEqual(await fingerprint(target.engine), restored, 'nothing changed');
                const good = await backupOf(source.engine);
                // Another application's schema in the target: not Haven's to drop, even with --replace.
                await target.engine.ownerExec(`CREATE SCHEMA analytics; CREATE TABLE analytics.revenue (amount int); INSERT INTO analytics.revenue VALUES (42)`);
                await assert.rejects(restoreInto(target.engine, good, { replace: true }), (error) => {
                    assert.ok(error instanceof BackupRefusedError);
                    assert.match(error.message, /schemas Haven did not make \(analytics\)/);
                    return true;
                });
                const kept = await target.engine.ownerTransaction((tx) => tx.query(`SELECT amount FROM analytics.revenue`));
                assert.deepEqual(kept.rows, [{ amount: 42 }]);
                await target.engine.ownerExec(`DROP SCHEMA analytics CASCADE`);
                // An extension's schema is the database's, not another application's: left as it is.
                if (kind === 'postgres')
                    await target.engine.ownerExec(`CREATE SCHEMA trgm; CREATE EXTENSION pg_trgm SCHEMA trgm`);
                // --replace with a good archive: the target becomes the archive.
                const report = await restoreInto(target.engine, good, { replace: true });
                assert.equal(report.replaced, true);
                assert.deepEqual(await fingerprint(target.engine), await fingerprint(source.engine));
                if (kind === 'postgres') {
                    const similar = await target.engine.ownerTransaction((tx) => tx.query(`SELECT trgm.similarity('haven', 'heaven') > 0 AS s`));
                    assert.deepEqual(similar.rows, [{ s: true }]);
                }
            }
            finally {
                await target.drop();
            }
        });
        it('THE PROOF: backup → erase a person → restore that older backup → the person is gone and undecryptable, and no raw byte holds their values', async () => {
            const t = await plantTeam(source.server, 'proof', { people: 2, eventsPerPerson: 5 });
            const [victim, survivor] = [t.people[0], t.people[1]];
            const ciphertext = (await source.engine.ownerTransaction((tx) => tx.query(`SELECT id, payload_sealed FROM events WHERE team_id = $1 AND person_id = $2 LIMIT 1`, [t.teamId, victim.id]))).rows[0];
            const oldBackup = await backupOf(source.engine);
            const ledger = freshLedger();
            await erase(source, ledger, t.teamId, victim.id);
            // Control: the old backup restored WITHOUT the ledger brings the person back — so what
            // follows can only pass because the ledger is replayed.
            const control = await freshEngine(kind);
            try {
                await restoreInto(control.engine, oldBackup);
                const { haven: h, client } = await havenOn(control.engine, t);
                try {
                    assert.equal((await client.get(`/api/v1/people/${victim.id}`)).body.name, victim.secrets[0], 'without the ledger the erased person is back');
                }
                finally {
                    await h.close();
                }
            }
            finally {
                await control.drop();
            }
            const dataDir = tempDir('restored');
            const target = kind === 'pglite' ? { engine: await openPGlite(join(dataDir, 'pgdata')), url: undefined, drop: async () => { } } : await freshEngine(kind);
            try {
                const report = await restoreInto(target.engine, oldBackup, { ledger });
                assert.equal(report.replay.people, 1);
                assert.ok(report.replay.subjectKeys >= 1);
                // Absent: no row names the person in any uuid column of any table (the ledger's own
                // record of the erasure, ids only, aside).
                assert.deepEqual(await target.engine.ownerTransaction((tx) => tablesHolding(tx, victim.id, OUTLIVING)), []);
                const { haven: h, client } = await havenOn(target.engine, t);
                try {
                    // Undecryptable: the ciphertext from before the erasure no longer opens with anything left.
                    const opened = await withTeam(h.engine, t.teamId, (tx) => h.keyring.openForSubject(tx, victim.id, { teamId: t.teamId, table: 'events', column: 'payload', rowId: ciphertext.id }, Buffer.from(ciphertext.payload_sealed)));
                    assert.equal(opened, null);
                    assert.equal((await client.get(`/api/v1/people/${victim.id}`)).status, 404);
                    assert.equal((await client.get(`/api/v1/people/${survivor.id}`)).body.name, survivor.secrets[0], 'the rest of the team is restored');
                    assert.equal((await withTeam(h.engine, t.teamId, (tx) => audit.verify(tx, t.teamId, { keyring: h.keyring }))).firstBreak, null);
                }
                finally {
                    await h.close(); // closes target.engine
                }
                // The raw bytes: the PGlite data directory (WAL included) or pg_dump of PostgreSQL, and the archive itself.
                let haystacks;
                if (kind === 'pglite') {
                    haystacks = readTree(join(dataDir, 'pgdata'));
                }
                else {
                    const dump = spawnSync(join(newestPgBin(), 'pg_dump'), ['--no-password', '--format=plain', `--dbname=${target.url}`], { maxBuffer: 1 << 30 });
                    assert.equal(dump.status, 0, dump.stderr?.toString());
                    assert.match(dump.stdout.toString(), /COPY public\.events/);
                    haystacks = [{ name: 'pg_dump', bytes: dump.stdout }];
                }
                haystacks.push({ name: 'archive (decompressed)', bytes: gunzipSync(readFileSync(oldBackup)) });
                assert.ok(scan(haystacks, [t.teamName]).some((h) => h.includes('plain utf8')), 'positive control: the team name, clear by design, is found');
                assert.deepEqual(scan(haystacks, victim.secrets), []);
            }
            finally {
                await target.drop();
            }
        });
        it("the ledger's database copy travels in backups: with the ledger file lost, a later backup's copy still erases the person from an older one", async () => {
            const t = await plantTeam(source.server, 'travels', { people: 2, eventsPerPerson: 2 });
            const victim = t.people[1];
            const older = await backupOf(source.engine);
            await erase(source, freshLedger(), t.teamId, victim.id, { copyToDatabase: true });
            const newer = await backupOf(source.engine);
            // A new machine: no ledger file. Restoring the newer backup writes its ledger entries into the new file…
            const ledger = freshLedger();
            const first = await freshEngine(kind);
            try {
                const report = await restoreInto(first.engine, newer, { ledger });
                assert.ok(report.ledger.addedToFile >= 1);
                const entries = [];
                for await (const e of ledger.entries())
                    entries.push(e);
                assert.ok(entries.some((e) => e.kind === 'person' && e.personId === victim.id));
            }
            finally {
                await first.drop();
            }
            // …so restoring the older one later still erases the person.
            const second = await freshEngine(kind);
            try {
                const report = await restoreInto(second.engine, older, { ledger });
                assert.equal(report.replay.people, 1);
                assert.deepEqual(await second.engine.ownerTransaction((tx) => tablesHolding(tx, victim.id, OUTLIVING)), []);
            }
            finally {
                await second.drop();
            }
        });
        it('a ledger file cut back after an erasure: restoring an older backup over the live database still erases the person, and the file gets the entry back', async () => {
            const t = await plantTeam(source.server, 'cut', { people: 2, eventsPerPerson: 2 });
            const victim = t.people[0];
            const older = await backupOf(source.engine);
            const ledger = freshLedger();
            await erase(source, ledger, t.teamId, victim.id, { copyToDatabase: true });
            const live = await freshEngine(kind);
            try {
                // The live database: the erasure done, its entry in the ledger's database copy.
                await restoreInto(live.engine, await backupOf(source.engine), { ledger });
                // Someone cuts the file back to before the erasure, then restores the older backup over the live database.
                writeFileSync(ledger.path, '');
                const report = await restoreInto(live.engine, older, { ledger, replace: true });
                assert.ok((report.ledger.targetEntries ?? 0) >= 1, 'the replaced database’s ledger was read');
                assert.equal(report.replay.people, 1);
                assert.deepEqual(await live.engine.ownerTransaction((tx) => tablesHolding(tx, victim.id, OUTLIVING)), []);
                const entries = [];
                for await (const e of ledger.entries())
                    entries.push(e);
                assert.ok(entries.some((e) => e.kind === 'person' && e.personId === victim.id), 'the entry is back in the file');
            }
            finally {
                await live.drop();
            }
        });
        it('a replaced database whose ledger table this build cannot read (an older build’s): the restore goes on and says so', async () => {
            const archive = await backupOf(source.engine);
            const live = await freshEngine(kind);
            try {
                await restoreInto(live.engine, archive);
                await live.engine.ownerExec(`DROP POLICY app_adds_own_entries ON erasure_ledger; ALTER TABLE erasure_ledger DROP CONSTRAINT erasure_ledger_user_check; ALTER TABLE erasure_ledger DROP COLUMN user_id`);
                await live.engine.ownerTransaction((tx) => tx.query(`INSERT INTO erasure_ledger (entry_hash, kind, team_id, person_id, erased_at) VALUES ('\\x00', 'person', gen_random_uuid(), gen_random_uuid(), now())`));
                const report = await restoreInto(live.engine, archive, { ledger: freshLedger(), replace: true });
                assert.equal(report.ledger.targetEntries, null);
                assert.ok(report.rows > 0);
            }
            finally {
                await live.drop();
            }
        });
        it('a team deleted after the backup is deleted again by the restore, with a certificate; the other teams are intact', async () => {
            const doomed = await plantTeam(source.server, 'doomed', { people: 1, eventsPerPerson: 3 });
            const kept = await plantTeam(source.server, 'kept', { people: 1, eventsPerPerson: 3 });
            const file = await backupOf(source.engine);
            const ledger = freshLedger();
            await ledger.append({ kind: 'team', teamId: doomed.teamId, erasedAt: new Date().toISOString() });
            await deleteTeamData(source.engine, doomed.teamId);
            const target = await freshEngine(kind);
            try {
                const report = await restoreInto(target.engine, file, { ledger });
                assert.equal(report.replay.teams, 1);
                assert.ok(report.replay.teamRows > 10);
                assert.deepEqual(await target.engine.ownerTransaction((tx) => tablesHolding(tx, doomed.teamId, OUTLIVING)), []);
                const certificates = await deletionCertificates(target.engine, doomed.teamId);
                assert.equal(certificates.length, 1);
                assert.equal(certificates[0].reason, 'ledger_replay');
                assert.equal(certificates[0].tables.events, 3);
                const { haven: h, client } = await havenOn(target.engine, kept);
                try {
                    assert.equal((await client.get(`/api/v1/people/${kept.people[0].id}`)).body.name, kept.people[0].secrets[0]);
                    assert.equal((await withTeam(h.engine, kept.teamId, (tx) => audit.verify(tx, kept.teamId, { keyring: h.keyring }))).firstBreak, null);
                }
                finally {
                    await h.close();
                }
            }
            finally {
                await target.drop();
            }
        });
        it('a team cancelled when the backup was taken gets its grace period again at restore: an undo made since is in no ledger', async () => {
            const cancelled = await plantTeam(source.server, 'was-cancelled', { people: 1, eventsPerPerson: 1 });
            assert.equal((await cancelled.client.post('/api/v1/team/cancellation')).status, 202);
            // Restored days later, when its due time has long passed (here: moved back in the source).
            // Whether an owner undid the cancellation since, no ledger says.
            await source.engine.ownerTransaction((tx) => tx.query(`UPDATE teams SET deletion_due_at = now() - interval '3 days' WHERE team_id = $1`, [cancelled.teamId]));
            const file = await backupOf(source.engine);
            const target = await freshEngine(kind);
            try {
                const report = await restoreInto(target.engine, file, { afterReplay: (tx) => renewGraceAfterRestore(tx, 24) });
                assert.ok(report.afterReplay >= 1);
                const due = await target.engine.ownerTransaction(async (tx) => (await tx.query(`SELECT extract(epoch FROM deletion_due_at - now()) / 3600 AS hours FROM teams WHERE team_id = $1`, [cancelled.teamId])).rows[0]);
                assert.ok(Number(due.hours) > 23.9, `due again in ${due.hours} h`);
                const { haven: h, client } = await havenOn(target.engine, cancelled);
                try {
                    assert.equal(await deleteDueTeams({ engine: h.engine, keyring: h.keyring, config: { ...configFromEnv({}), masterKey }, jobs: h.jobs, logger: createLogger({ level: 'silent' }) }), 0, 'not deleted at the next sweep');
                    assert.equal((await client.delete('/api/v1/team/cancellation')).status, 200, 'an owner can undo it');
                }
                finally {
                    await h.close();
                }
            }
            finally {
                await target.drop();
            }
        });
        it('a ledger file whose chain is broken stops the restore, unless the operator accepts the damage', async () => {
            const file = await backupOf(source.engine);
            const ledger = freshLedger();
            const t = await plantTeam(source.server, 'edited', { people: 1, eventsPerPerson: 0 });
            await ledger.append({ kind: 'team', teamId: t.teamId, erasedAt: new Date().toISOString() });
            await ledger.append({ kind: 'team', teamId: a.teamId, erasedAt: new Date().toISOString() });
            // Someone removes the first line (un-erasing a team): the second no longer chains.
            const lines = readFileSync(ledger.path, 'utf8').trimEnd().split('\n');
            writeFileSync(ledger.path, `${lines[1]}\n`);
            const target = await freshEngine(kind);
            try {
                await assert.rejects(restoreInto(target.engine, file, { ledger }), /does not verify \(line 1: does not chain/);
                assert.deepEqual(await target.engine.ownerTransaction((tx) => listTables(tx)), [], 'the target was not touched');
                const manifest = await verifyArchive(file, { master, knownMigrations });
                const keyring = await Keyring.open(target.engine, provider);
                const report = await restoreBackup(target.engine, file, manifest, { keyring, migrations: allMigrations, ...replaySteps, ledger, acceptLedgerDamage: true });
                assert.equal(report.ledger.damagedLines, 1);
                assert.deepEqual(await target.engine.ownerTransaction((tx) => tablesHolding(tx, a.teamId, OUTLIVING)), [], 'the entry that can still be read is replayed');
            }
            finally {
                await target.drop();
            }
        });
    });
}
describe('haven backup / haven restore (CLI)', () => {
    const main = new URL('../src/cli/main.js', import.meta.url).pathname;
    const env = { ...process.env, DATABASE_URL: '', HAVEN_DATA_DIR: '', HAVEN_ERASURE_LEDGER: '', HAVEN_MASTER_KEY: masterKey };
    const haven = (args, extra = {}) => spawnSync(process.execPath, [main, ...args], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
    it('backs up a data directory and restores it elsewhere (and onto PostgreSQL); refuses what it must, with exit codes', async () => {
        const help = haven(['--help']);
        assert.match(help.stdout, /backup/);
        assert.match(help.stdout, /restore/);
        assert.match(haven(['restore', '--help']).stdout, /--replace/);
        const sourceDir = tempDir('cli-source');
        const config = { ...configFromEnv({}), dataDir: sourceDir, masterKey, rateLimitPerMinute: 1_000_000 };
        const source = await createHaven(config, createLogger({ level: 'silent' }), { jobs: 'manual' });
        let sourcePrint;
        try {
            await plantTeam(source.server, 'cli', { people: 2, eventsPerPerson: 2 });
            sourcePrint = await fingerprint(source.engine);
        }
        finally {
            await source.close();
        }
        const archive = join(tempDir('cli-archive'), 'nightly.tar.gz');
        const backup = haven(['backup', '--out', archive, '--data', sourceDir]);
        assert.equal(backup.status, 0, backup.stderr);
        assert.match(backup.stdout, /Backed up \d+ row\(s\) from \d+ table\(s\)/);
        assert.doesNotMatch(readFileSync(archive).toString('latin1'), new RegExp(masterKey.replace(/[+/=]/g, '.')));
        const again = haven(['backup', '--out', archive, '--data', sourceDir]);
        assert.equal(again.status, 1);
        assert.match(again.stderr, /already exists/);
        // The archive is signed under the master key: without it, or with another, no backup.
        const elsewhere = join(tempDir('cli-archive-2'), 'nightly.tar.gz');
        const otherKey = haven(['backup', '--out', elsewhere, '--data', sourceDir], { HAVEN_MASTER_KEY: randomBytes(32).toString('base64') });
        assert.equal(otherKey.status, 2, otherKey.stderr);
        assert.match(otherKey.stderr, /not the key this database was created with/);
        const keyless = haven(['backup', '--out', elsewhere, '--data', sourceDir], { HAVEN_MASTER_KEY: '' });
        assert.equal(keyless.status, 2, keyless.stderr);
        assert.match(keyless.stderr, /No master key/);
        assert.throws(() => statSync(elsewhere), 'no archive written');
        const targetDir = tempDir('cli-target');
        const restore = haven(['restore', archive, '--data', targetDir]);
        assert.equal(restore.status, 0, restore.stderr);
        assert.match(restore.stdout, /Restored \d+ row\(s\)/);
        const check = async (dir) => {
            const engine = await openPGlite(join(dir, 'pgdata'));
            try {
                return await fingerprint(engine);
            }
            finally {
                await engine.close();
            }
        };
        const restoredPrint = await check(targetDir);
        assert.deepEqual(restoredPrint, sourcePrint);
        const notEmpty = haven(['restore', archive, '--data', targetDir]);
        assert.equal(notEmpty.status, 1);
        assert.match(notEmpty.stderr, /not empty.*--replace/);
        const cut = join(tempDir('cli-cut'), 'cut.tar.gz');
        writeFileSync(cut, readFileSync(archive).subarray(0, Math.floor(statSync(archive).size / 2)));
        const truncated = haven(['restore', cut, '--data', targetDir, '--replace']);
        assert.equal(truncated.status, 1);
        assert.match(truncated.stderr, /haven: The archive is truncated or corrupt/);
        assert.doesNotMatch(truncated.stderr, /at .*\.js:\d+/, 'no stack trace');
        const wrongKey = haven(['restore', archive, '--data', targetDir, '--replace'], { HAVEN_MASTER_KEY: randomBytes(32).toString('base64') });
        assert.equal(wrongKey.status, 2);
        assert.match(wrongKey.stderr, /not the key this backup was made under/);
        assert.deepEqual(await check(targetDir), restoredPrint, 'refusals left the target as it was');
        const emptyDir = tempDir('cli-nokey');
        const noKey = haven(['restore', archive, '--data', emptyDir], { HAVEN_MASTER_KEY: '' });
        assert.equal(noKey.status, 2);
        assert.match(noKey.stderr, /No master key/);
        assert.throws(() => statSync(join(emptyDir, 'master.key')), 'no new key was made');
        const replaced = haven(['restore', archive, '--data', targetDir, '--replace']);
        assert.equal(replaced.status, 0, replaced.stderr);
        assert.deepEqual(await check(targetDir), sourcePrint);
        if (ENGINES.includes('postgres')) {
            const pg = await freshEngine('postgres');
            await pg.engine.close();
            try {
                const onPostgres = haven(['restore', archive, '--data', emptyDir], { DATABASE_URL: pg.url });
                assert.equal(onPostgres.status, 0, onPostgres.stderr);
                const { openPostgres } = await import('../src/platform/db/postgres-engine.js');
                const engine = await openPostgres(pg.url);
                try {
                    assert.deepEqual(await fingerprint(engine), sourcePrint);
                }
                finally {
                    await engine.close();
                }
            }
            finally {
                await pg.drop();
            }
        }
    });
});
//# sourceMappingURL=backup.test.js.map