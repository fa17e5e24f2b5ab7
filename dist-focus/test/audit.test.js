import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createHaven } from '../src/app.js';
import { FAILED_SIGN_IN_JOB } from '../src/modules/accounts/index.js';
import { checkpointTeams } from '../src/modules/audit/index.js';
import { AUDIT_CHECKPOINT_JOB } from '../src/platform/audit/index.js';
import { configFromEnv } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';
import { PASSWORD, TestClient, addMember, assertError, keyClient, signUp, uniqueEmail } from './support/client.js';
import { ENGINES, describeEngines, freshEngine, ownerSql } from './support/haven.js';
const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
describeEngines('audit log (I6)', (haven) => {
    const server = () => haven().server;
    const { owner } = ownerSql(haven);
    const actions = async (client, query = 'limit=500') => (await client.get(`/api/v1/audit?${query}`)).body.entries.map((e) => e.action);
    it('records account and team events, with ids and never personal data', async () => {
        const a = await signUp(server());
        await new TestClient(server()).post('/api/v1/auth/sign-in', { email: a.email, password: 'wrong password!' });
        const laptop = new TestClient(server());
        await laptop.post('/api/v1/auth/sign-in', { email: a.email, password: PASSWORD });
        await laptop.post('/api/v1/auth/sign-out');
        await haven().jobs.runNow(FAILED_SIGN_IN_JOB); // a wrong password is audited by a job
        const invitee = uniqueEmail('invitee');
        const inv = await a.client.post('/api/v1/invitations', { email: invitee, role: 'viewer' });
        const m = await addMember(server(), a.client, 'member');
        await a.client.patch(`/api/v1/members/${m.userId}`, { role: 'admin' });
        await a.client.delete(`/api/v1/invitations/${inv.body.invitation.id}`);
        const key = await keyClient(server(), a.client, 'secret', 'read');
        await a.client.delete(`/api/v1/api-keys/${key.id}`);
        await a.client.patch('/api/v1/team', { name: 'Zanzibar Holdings' });
        await a.client.delete(`/api/v1/members/${m.userId}`);
        const res = await a.client.get('/api/v1/audit?limit=500');
        assert.equal(res.status, 200);
        const got = res.body.entries.map((e) => e.action).reverse();
        for (const action of [
            'team.created',
            'auth.sign_in_failed',
            'auth.signed_in',
            'auth.signed_out',
            'invitation.created',
            'invitation.accepted',
            'member.role_changed',
            'invitation.revoked',
            'api_key.created',
            'api_key.revoked',
            'team.renamed',
            'member.removed',
        ]) {
            assert.ok(got.includes(action), `${action} recorded (got ${got.join(', ')})`);
        }
        assert.deepEqual(got.slice(0, 2), ['team.created', 'auth.signed_in'], 'signing up signs in');
        const joinedSignedIn = res.body.entries.some((e) => e.action === 'auth.signed_in' && e.actor.id === m.userId);
        assert.ok(joinedSignedIn, 'accepting an invitation with a new account signs in');
        const role = res.body.entries.find((e) => e.action === 'member.role_changed');
        assert.deepEqual(role.details, { from: 'member', to: 'admin' });
        assert.deepEqual(role.actor, { type: 'user', id: a.userId });
        assert.deepEqual(role.target, { type: 'user', id: m.userId });
        assert.match(role.requestId, /^[0-9a-f-]{36}$/);
        const stored = JSON.stringify((await owner(`SELECT * FROM audit_log WHERE team_id = $1`, [a.teamId])).rows);
        for (const secret of [a.email, invitee, m.email, PASSWORD, 'Zanzibar', key.token, inv.body.token]) {
            assert.equal(stored.toLowerCase().includes(secret.toLowerCase()), false, `audit rows hold ${secret}`);
        }
    });
    it('filters by action (exact or prefix), target and time, newest first, with keyset paging', async () => {
        const a = await signUp(server());
        const m1 = await addMember(server(), a.client, 'member');
        const m2 = await addMember(server(), a.client, 'member');
        await a.client.patch(`/api/v1/members/${m1.userId}`, { role: 'viewer' });
        await a.client.patch(`/api/v1/members/${m2.userId}`, { role: 'viewer' });
        assert.deepEqual(await actions(a.client, 'action=member.role_changed'), ['member.role_changed', 'member.role_changed']);
        assert.deepEqual(await actions(a.client, 'action=member'), ['member.role_changed', 'member.role_changed']);
        const target = (await a.client.get(`/api/v1/audit?targetId=${m1.userId}`)).body.entries;
        assert.equal(target.length, 1);
        const page1 = (await a.client.get('/api/v1/audit?limit=2')).body;
        assert.equal(page1.entries.length, 2);
        assert.ok(page1.entries[0].seq > page1.entries[1].seq);
        const page2 = (await a.client.get(`/api/v1/audit?limit=2&before=${page1.nextBefore}`)).body;
        assert.ok(page2.entries[0].seq < page1.entries[1].seq);
        assert.deepEqual(await actions(a.client, 'from=2999-01-01T00:00:00Z'), []);
        const bad = await a.client.get('/api/v1/audit?action=DROP%20TABLE');
        assert.equal(bad.status, 400);
    });
    it('refuses filters the log cannot hold (NUL, not an id, a seq past 64 bits) with a 400, not a 500', async () => {
        const a = await signUp(server());
        // Actors are users and API keys (by uuid) or the system and operators (no id); targets are
        // people, users, teams, invitations and API keys, all by uuid.
        for (const [query, code, field] of [
            ['actorId=%00', 'invalid_format', 'query.actorId'],
            ['actorId=system', 'invalid_format', 'query.actorId'],
            ['targetId=%00', 'invalid_format', 'query.targetId'],
            [`targetId=${a.teamId}%00`, 'invalid_format', 'query.targetId'],
            ['before=9999999999999999999999', 'out_of_range', 'query.before'],
            ['before=1e22', 'out_of_range', 'query.before'],
            ['before=1e999', 'out_of_range', 'query.before'],
            [`before=${Number.MAX_SAFE_INTEGER + 2}`, 'out_of_range', 'query.before'],
        ]) {
            assertError(await a.client.get(`/api/v1/audit?${query}`), 400, code, field);
        }
        const own = await a.client.get(`/api/v1/audit?actorId=${a.userId}&targetId=${a.teamId}&before=${Number.MAX_SAFE_INTEGER}`);
        assert.equal(own.status, 200, own.raw.body);
        assert.deepEqual(own.body.entries.map((e) => e.action), ['team.created']);
    });
    it('refuses UPDATE, DELETE and TRUNCATE, from the app role and from the owner', async () => {
        const a = await signUp(server());
        await assert.rejects(haven().engine.transaction((tx) => tx.query(`UPDATE audit_log SET action = 'x'`)), /permission denied|append-only/);
        await assert.rejects(owner(`UPDATE audit_log SET action = 'x' WHERE team_id = $1`, [a.teamId]), /append-only/);
        await assert.rejects(owner(`DELETE FROM audit_log WHERE team_id = $1`, [a.teamId]), /append-only/);
        await assert.rejects(owner(`TRUNCATE audit_log`), /append-only/);
        assert.equal((await a.client.get('/api/v1/audit/verify')).body.valid, true);
    });
    it('verify names the first entry altered or removed while the triggers were off', async () => {
        const a = await signUp(server());
        for (let i = 0; i < 3; i++)
            await a.client.patch('/api/v1/team', { name: `Name ${i}` });
        const before = (await a.client.get('/api/v1/audit/verify')).body;
        assert.deepEqual({ ...before, head: undefined }, { valid: true, entries: 5, firstBreak: null, head: undefined, checkpoint: null });
        assert.match(before.head, /^5:[0-9a-f]{64}$/);
        const tamper = (sql) => haven().engine.ownerTransaction(async (tx) => {
            await tx.query(`SET LOCAL session_replication_role = replica`);
            await tx.query(sql, [a.teamId]);
        });
        await tamper(`UPDATE audit_log SET actor_id = 'someone-else' WHERE team_id = $1 AND seq = 3`);
        const altered = (await a.client.get('/api/v1/audit/verify')).body;
        assert.equal(altered.valid, false);
        assert.equal(altered.firstBreak.seq, 3);
        assert.match(altered.firstBreak.reason, /columns differ/);
        await tamper(`UPDATE audit_log SET entry = replace(entry, 'team.renamed', 'team.created'), actor_id = (entry::json->'actor'->>'id') WHERE team_id = $1 AND seq = 3`);
        assert.match((await a.client.get('/api/v1/audit/verify')).body.firstBreak.reason, /hash does not match/);
        await tamper(`DELETE FROM audit_log WHERE team_id = $1 AND seq = 2`);
        const gap = (await a.client.get('/api/v1/audit/verify')).body;
        assert.equal(gap.firstBreak.seq, 2);
        assert.match(gap.firstBreak.reason, /missing/);
    });
    it('concurrent writers never fork the chain', async () => {
        const a = await signUp(server());
        await Promise.all(Array.from({ length: 12 }, (_, i) => a.client.patch('/api/v1/team', { name: `Parallel ${i}` })));
        const report = (await a.client.get('/api/v1/audit/verify')).body;
        assert.deepEqual({ ...report, head: undefined }, { valid: true, entries: 14, firstBreak: null, head: undefined, checkpoint: null });
    });
    it('an anchor kept outside shows a chain cut at the end or rewritten with recomputed hashes', async () => {
        const a = await signUp(server());
        for (let i = 0; i < 3; i++)
            await a.client.patch('/api/v1/team', { name: `Name ${i}` });
        const { head } = (await a.client.get('/api/v1/audit/verify')).body;
        assert.match(head, /^5:/);
        const withAnchor = () => a.client.get(`/api/v1/audit/verify?anchor=${head}`);
        assert.equal((await withAnchor()).body.valid, true);
        // A later entry does not disturb the anchor.
        await a.client.patch('/api/v1/team', { name: 'Later' });
        assert.equal((await withAnchor()).body.valid, true);
        const tamper = (sql, params = [a.teamId]) => haven().engine.ownerTransaction(async (tx) => {
            await tx.query(`SET LOCAL session_replication_role = replica`);
            await tx.query(sql, params);
        });
        // Rewritten from entry 4 on, every hash recomputed: the plain walk cannot tell.
        const rows = await haven().engine.ownerTransaction((tx) => tx.query(`SELECT seq, entry FROM audit_log WHERE team_id = $1 ORDER BY seq`, [a.teamId]));
        let prev = Buffer.from((await haven().engine.ownerTransaction((tx) => tx.query(`SELECT hash FROM audit_log WHERE team_id = $1 AND seq = 3`, [a.teamId]))).rows[0].hash);
        for (const row of rows.rows.filter((r) => r.seq >= 4)) {
            const entry = row.entry.replace('"team.renamed"', '"team.viewed"');
            const hash = createHash('sha256').update(prev).update(entry, 'utf8').digest();
            await tamper(`UPDATE audit_log SET entry = $2, action = 'team.viewed', prev_hash = $3, hash = $4 WHERE team_id = $1 AND seq = $5`, [a.teamId, entry, prev, hash, row.seq]);
            prev = hash;
        }
        assert.equal((await a.client.get('/api/v1/audit/verify')).body.valid, true);
        const rewritten = (await withAnchor()).body;
        assert.equal(rewritten.valid, false);
        assert.equal(rewritten.firstBreak.seq, 5);
        assert.match(rewritten.firstBreak.reason, /anchor/);
        // Cut off at the end: again whole on its own, short of the anchor.
        await tamper(`DELETE FROM audit_log WHERE team_id = $1 AND seq >= 4`);
        assert.equal((await a.client.get('/api/v1/audit/verify')).body.valid, true);
        const cut = (await withAnchor()).body;
        assert.equal(cut.valid, false);
        assert.equal(cut.firstBreak.seq, 4);
        assert.match(cut.firstBreak.reason, /cut off/);
        const bad = await a.client.get('/api/v1/audit/verify?anchor=5:nothex');
        assert.equal(bad.status, 400);
    });
});
describeEngines('audit checkpoints: keyed, hourly', (haven) => {
    const server = () => haven().server;
    const { owner, count } = ownerSql(haven);
    const checkpoints = (teamId) => count(`SELECT count(*)::int AS n FROM audit_checkpoints WHERE team_id = $1`, [teamId]);
    const runJob = async () => {
        await haven().jobs.send(AUDIT_CHECKPOINT_JOB, {});
        assert.equal(await haven().jobs.runNow(AUDIT_CHECKPOINT_JOB), 1);
    };
    it('a chain rewritten with every hash recomputed fails at its checkpoint, no anchor needed; the job vouches for no rewritten chain', async () => {
        const a = await signUp(server());
        for (let i = 0; i < 3; i++)
            await a.client.patch('/api/v1/team', { name: `Name ${i}` });
        const verify = async () => (await a.client.get('/api/v1/audit/verify')).body;
        assert.equal((await verify()).checkpoint, null, 'none before the job ran');
        await runJob();
        const checked = await verify();
        assert.equal(checked.valid, true);
        assert.equal(checked.checkpoint.seq, 5);
        await runJob();
        assert.equal(await checkpoints(a.teamId), 1, 'nothing new: no second checkpoint');
        await a.client.patch('/api/v1/team', { name: 'Later' });
        assert.deepEqual([(await verify()).valid, (await verify()).checkpoint.seq], [true, 5]);
        // Rewritten from entry 4 on, every hash recomputed (what a database owner with the triggers off can do).
        const tamper = (sql, params) => haven().engine.ownerTransaction(async (tx) => {
            await tx.query(`SET LOCAL session_replication_role = replica`);
            await tx.query(sql, params);
        });
        const rows = (await owner(`SELECT seq, entry, prev_hash FROM audit_log WHERE team_id = $1 AND seq >= 4 ORDER BY seq`, [a.teamId])).rows;
        let prev = Buffer.from(rows[0].prev_hash);
        for (const row of rows) {
            const entry = row.entry.replace('"team.renamed"', '"team.viewed"');
            const hash = createHash('sha256').update(prev).update(entry, 'utf8').digest();
            await tamper(`UPDATE audit_log SET entry = $2, action = 'team.viewed', prev_hash = $3, hash = $4 WHERE team_id = $1 AND seq = $5`, [a.teamId, entry, prev, hash, row.seq]);
            prev = hash;
        }
        const rewritten = await verify();
        assert.deepEqual([rewritten.valid, rewritten.firstBreak.seq, rewritten.checkpoint], [false, 5, null]);
        assert.match(rewritten.firstBreak.reason, /checkpoint: the chain was rewritten/);
        // An anchor taken from the rewritten chain, at the checkpoint's entry, does not hide the checkpoint.
        const rewrittenHead = Buffer.from((await owner(`SELECT hash FROM audit_log WHERE team_id = $1 AND seq = 5`, [a.teamId])).rows[0].hash).toString('hex');
        const anchoredToRewrite = (await a.client.get(`/api/v1/audit/verify?anchor=5:${rewrittenHead}`)).body;
        assert.deepEqual([anchoredToRewrite.valid, anchoredToRewrite.firstBreak.seq], [false, 5]);
        assert.match(anchoredToRewrite.firstBreak.reason, /checkpoint: the chain was rewritten/);
        await runJob();
        assert.equal(await checkpoints(a.teamId), 1, 'the job makes no checkpoint of a chain that does not hold');
        // Nor can a checkpoint be moved to the rewritten head without the key.
        await owner(`INSERT INTO audit_checkpoints (team_id, seq, hash, mac) VALUES ($1, 6, $2, $3)`, [a.teamId, prev, randomBytes(32)]);
        assert.match((await verify()).firstBreak.reason, /checkpoint 6 does not verify under the team key/);
        await assert.rejects(owner(`UPDATE audit_checkpoints SET mac = $2 WHERE team_id = $1`, [a.teamId, randomBytes(32)]), /append-only/);
        await assert.rejects(owner(`DELETE FROM audit_checkpoints WHERE team_id = $1`, [a.teamId]), /append-only/);
    });
    it('the hourly run goes on past a team whose checkpoint fails, then fails itself (so it is retried)', async () => {
        const a = await signUp(server());
        const b = await signUp(server());
        // Teams run in id order: the first of the two fails, so the second is reached only past it.
        const [failing, other] = [a, b].sort((x, y) => (x.teamId < y.teamId ? -1 : 1));
        const engine = Object.create(haven().engine);
        engine.transaction = (fn, settings) => settings?.['app.team_id'] === failing.teamId ? Promise.reject(new Error('injected failure')) : haven().engine.transaction(fn, settings);
        const ctx = { engine, keyring: haven().keyring, logger: createLogger({ level: 'silent' }) };
        await assert.rejects(checkpointTeams(ctx), /audit checkpoint failed for 1 of \d+ teams/);
        assert.equal(await checkpoints(other.teamId), 1, 'the later team has its checkpoint');
        assert.equal(await checkpoints(failing.teamId), 0);
    });
    it('a chain cut back before its checkpoint fails', async () => {
        const a = await signUp(server());
        for (let i = 0; i < 2; i++)
            await a.client.patch('/api/v1/team', { name: `Name ${i}` });
        await runJob();
        await haven().engine.ownerTransaction(async (tx) => {
            await tx.query(`SET LOCAL session_replication_role = replica`);
            await tx.query(`DELETE FROM audit_log WHERE team_id = $1 AND seq >= 3`, [a.teamId]);
        });
        const cut = (await a.client.get('/api/v1/audit/verify')).body;
        assert.deepEqual([cut.valid, cut.firstBreak.seq], [false, 3]);
        assert.match(cut.firstBreak.reason, /ends before a checkpoint at entry 4: entries were cut off/);
    });
});
describe('haven audit verify (CLI)', () => {
    for (const kind of ENGINES) {
        it(`[${kind}] exits 0 on an intact log, 1 naming the first broken entry`, async () => {
            const dataDir = mkdtempSync(join(tmpdir(), 'haven-audit-'));
            const db = kind === 'postgres' ? await freshEngine('postgres') : undefined;
            await db?.engine.close();
            const masterKey = randomBytes(32).toString('base64');
            const env = { ...process.env, DATABASE_URL: db?.url ?? '', HAVEN_DATA_DIR: dataDir, HAVEN_MASTER_KEY: masterKey };
            const config = { ...configFromEnv({}), dataDir, databaseUrl: db?.url, masterKey };
            try {
                const haven = await createHaven(config, createLogger({ level: 'silent' }));
                const a = await signUp(haven.server);
                await a.client.patch('/api/v1/team', { name: 'Two' });
                await a.client.patch('/api/v1/team', { name: 'Three' });
                await haven.close();
                const ok = spawnSync(process.execPath, [cli, 'audit', 'verify'], { env, encoding: 'utf8' });
                assert.equal(ok.status, 0, ok.stderr);
                assert.match(ok.stdout, /OK: 1 team chain\(s\), 4 entries verified/);
                const one = spawnSync(process.execPath, [cli, 'audit', 'verify', '--team', a.teamId], { env, encoding: 'utf8' });
                assert.equal(one.status, 0, one.stderr);
                const head = /head (\d+:[0-9a-f]{64})$/m.exec(one.stdout)?.[1];
                assert.ok(head?.startsWith('4:'), one.stdout);
                const anchored = spawnSync(process.execPath, [cli, 'audit', 'verify', '--team', a.teamId, '--anchor', head], { env, encoding: 'utf8' });
                assert.equal(anchored.status, 0, anchored.stderr);
                assert.match(anchored.stdout, /anchor 4 matches, no checkpoint yet;/);
                const past = spawnSync(process.execPath, [cli, 'audit', 'verify', '--team', a.teamId, '--anchor', `9:${'0'.repeat(64)}`], { env, encoding: 'utf8' });
                assert.equal(past.status, 1);
                assert.match(past.stderr, /entries were cut off/);
                for (const bad of [['--anchor', 'x'], ['--anchor', head]]) {
                    const args = bad[1] === head ? bad : ['--team', a.teamId, ...bad];
                    assert.equal(spawnSync(process.execPath, [cli, 'audit', 'verify', ...args], { env, encoding: 'utf8' }).status, 2, args.join(' '));
                }
                const again = await createHaven(config, createLogger({ level: 'silent' }));
                const entryId = await again.engine.ownerTransaction(async (tx) => {
                    await tx.query(`SET LOCAL session_replication_role = replica`);
                    const r = await tx.query(`UPDATE audit_log SET entry = replace(entry, 'Three', 'Four') || ' ' WHERE seq = 2 RETURNING id`);
                    return r.rows[0].id;
                });
                await again.close();
                const broken = spawnSync(process.execPath, [cli, 'audit', 'verify', '--team', a.teamId], { env, encoding: 'utf8' });
                assert.equal(broken.status, 1);
                assert.match(broken.stderr, new RegExp(`BROKEN team ${a.teamId}: entry #2 \\(${entryId}\\): hash does not match`));
                const usage = spawnSync(process.execPath, [cli, 'audit', 'verify', '--team', 'nope'], { env, encoding: 'utf8' });
                assert.equal(usage.status, 2);
                // A well-formed id of no team has an empty chain: not "OK", which would hide a mistyped id.
                const stranger = randomUUID();
                const unknown = spawnSync(process.execPath, [cli, 'audit', 'verify', '--team', stranger], { env, encoding: 'utf8' });
                assert.equal(unknown.status, 1, unknown.stdout);
                assert.equal(unknown.stderr.trim(), `haven: no such team: ${stranger}.`);
                assert.doesNotMatch(unknown.stdout, /OK/);
                // An id typed in capitals is the same team (ids are written in lower case everywhere).
                const capitals = spawnSync(process.execPath, [cli, 'audit', 'verify', '--team', a.teamId.toUpperCase()], { env, encoding: 'utf8' });
                assert.equal(capitals.status, 1, capitals.stderr);
                assert.match(capitals.stderr, new RegExp(`BROKEN team ${a.teamId}: entry #2`));
                // A team whose every entry was deleted, past a checkpoint: found by the all-teams run too.
                const third = await createHaven(config, createLogger({ level: 'silent' }));
                let b;
                try {
                    b = await signUp(third.server, 'cut-whole');
                    // Only the new team's checkpoint is made: the first team's chain no longer holds.
                    assert.equal((await checkpointTeams({ engine: third.engine, keyring: third.keyring, logger: createLogger({ level: 'silent' }) })).made, 1);
                    await third.engine.ownerTransaction(async (tx) => {
                        await tx.query(`SET LOCAL session_replication_role = replica`);
                        // The first team's whole chain too (it has no checkpoint): an empty chain is not a break.
                        await tx.query(`DELETE FROM audit_log WHERE team_id = ANY($1::uuid[])`, [[a.teamId, b.teamId]]);
                    });
                }
                finally {
                    await third.close();
                }
                const bOnly = spawnSync(process.execPath, [cli, 'audit', 'verify', '--team', b.teamId], { env, encoding: 'utf8' });
                assert.equal(bOnly.status, 1, `${bOnly.stdout} ${bOnly.stderr}`);
                const all = spawnSync(process.execPath, [cli, 'audit', 'verify'], { env, encoding: 'utf8' });
                assert.equal(all.status, 1, `${all.stdout} ${all.stderr}`);
                assert.match(all.stderr, new RegExp(`BROKEN team ${b.teamId}: .*before a checkpoint`));
            }
            finally {
                rmSync(dataDir, { recursive: true, force: true });
                await db?.drop();
            }
        });
    }
});
//# sourceMappingURL=audit.test.js.map