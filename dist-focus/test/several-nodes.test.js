import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createHaven } from '../src/app.js';
import { configFromEnv } from '../src/platform/config.js';
import { CHANGES_CHANNEL, encodeChange } from '../src/platform/db/changes.js';
import { deleteTeamData } from '../src/platform/db/delete-team-data.js';
import { openPostgres } from '../src/platform/db/postgres-engine.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { createLogger } from '../src/platform/log.js';
import { TestClient, keyClient, signUp } from './support/client.js';
import { ENGINES, freshEngine } from './support/haven.js';
/** The next notice this engine delivers that `wanted` accepts (from any process), within 10 s. */
function nextNotice(engine, what, wanted) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            stop();
            reject(new Error(`not heard within 10 s: ${what}`));
        }, 10_000);
        const stop = engine.changes.subscribe((notice) => {
            if (!wanted(notice))
                return;
            clearTimeout(timer);
            stop();
            resolve(notice);
        });
    });
}
const nextChange = (engine, topic) => nextNotice(engine, topic, (n) => n !== 'everything' && n.topic === topic);
/** The next 'forget everything' (the engine's listener dropped or came back). */
const nextEverything = (engine) => nextNotice(engine, 'everything', (n) => n === 'everything');
async function until(what, condition) {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
        if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
    }
}
const event = () => ({ events: [{ type: 'track', event: 'Signed up', anonymousId: `anon-${randomBytes(4).toString('hex')}` }] });
describe('changes are told at commit, on both engines', () => {
    for (const kind of ENGINES) {
        it(`[${kind}] a committed change reaches this process before the transaction settles; a rolled-back one never`, async () => {
            const { engine, drop } = await freshEngine(kind);
            try {
                const heard = [];
                engine.changes.subscribe((notice) => heard.push(notice));
                await until('listening', () => engine.changes.live);
                const teamId = randomUUID();
                // As the owner: a fresh database has no application role yet; announcing is the same.
                await assert.rejects(engine.ownerTransaction(async (tx) => {
                    await tx.announce({ topic: 'test.rolled_back', teamId });
                    throw new Error('roll back');
                }), /roll back/);
                await engine.ownerTransaction(async (tx) => {
                    await tx.announce({ topic: 'test.committed', teamId, id: teamId });
                    assert.deepEqual(heard.filter((n) => n !== 'everything'), [], 'not before the commit');
                });
                assert.deepEqual(heard.filter((n) => n !== 'everything'), [{ topic: 'test.committed', teamId, id: teamId }]);
                if (kind === 'postgres') {
                    // Its own notice comes back through the listener too; it is skipped, not delivered twice.
                    // Notices arrive in commit order, so once another process's later one is heard, so was the echo.
                    const fromElsewhere = { topic: 'test.elsewhere', teamId };
                    await engine.ownerTransaction((tx) => tx.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, encodeChange(fromElsewhere, randomUUID())]));
                    await until('the other process\'s notice', () => heard.some((n) => n !== 'everything' && n.topic === 'test.elsewhere'));
                    assert.deepEqual(heard.filter((n) => n !== 'everything'), [{ topic: 'test.committed', teamId, id: teamId }, fromElsewhere]);
                }
                await assert.rejects(engine.ownerTransaction((tx) => tx.announce({ topic: 'test.personal', teamId: 'ada@example.test' })), /a change is a topic and ids/, 'nothing but ids can be announced');
            }
            finally {
                await engine.close();
                await drop();
            }
        });
    }
});
/**
 * Two Havens on one PostgreSQL database, as two app nodes behind a load balancer: what one node
 * changes, the other stops trusting from memory as soon as it hears of it — not when a timer runs
 * out (the caches keep entries for a minute).
 */
describe('several nodes on one PostgreSQL database', { skip: !ENGINES.includes('postgres') && 'PostgreSQL not among the test engines' }, () => {
    let a;
    let b;
    let drop;
    before(async () => {
        const fresh = await freshEngine('postgres');
        drop = fresh.drop;
        const logger = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }), level: 'info' });
        const config = {
            ...configFromEnv({}),
            rateLimitPerMinute: 1_000_000,
            masterKey: randomBytes(32).toString('base64'),
            erasureLedger: join(tmpdir(), `haven-test-ledger-${randomBytes(6).toString('hex')}.jsonl`),
        };
        a = await createHaven(config, logger, { engine: fresh.engine, jobs: 'manual' });
        b = await createHaven(config, logger, { engine: await openPostgres(fresh.url), jobs: 'manual' });
        await until('both nodes listening', () => a.engine.changes.live && b.engine.changes.live);
    });
    after(async () => {
        await b?.close();
        await a?.close();
        await drop?.();
    });
    it('a write key revoked on one node is refused by the other once it hears of it', async () => {
        const owner = await signUp(a.server, 'nodes-key');
        const key = await keyClient(a.server, owner.client, 'write');
        const onB = TestClient.withKey(b.server, key.token);
        assert.equal((await onB.post('/api/v1/events', event())).status, 200, 'B knows the key (and remembers it)');
        const heard = nextChange(b.engine, 'api_key.revoked');
        assert.equal((await owner.client.delete(`/api/v1/api-keys/${key.id}`)).status, 200, 'revoked through A');
        assert.deepEqual(await heard, { topic: 'api_key.revoked', teamId: owner.teamId, id: key.id });
        const refused = await onB.post('/api/v1/events', event());
        assert.equal(refused.status, 401);
        assert.equal(refused.body.error.code, 'invalid_api_key');
    });
    it('a team cancelled on one node is read-only on the other once it hears of it', async () => {
        const owner = await signUp(a.server, 'nodes-cancel');
        const admin = await keyClient(a.server, owner.client, 'secret', 'admin');
        const write = await keyClient(a.server, owner.client, 'write');
        const adminOnB = TestClient.withKey(b.server, admin.token);
        const writeOnB = TestClient.withKey(b.server, write.token);
        assert.equal((await adminOnB.post('/api/v1/people', { name: 'Before' })).status, 201, 'B knows the team is active (and remembers it)');
        assert.equal((await writeOnB.post('/api/v1/events', event())).status, 200);
        const heard = nextChange(b.engine, 'team.state');
        assert.equal((await owner.client.post('/api/v1/team/cancellation')).status, 202, 'cancelled through A');
        await heard;
        const refused = await adminOnB.post('/api/v1/people', { name: 'After' });
        assert.equal(refused.status, 423);
        assert.equal(refused.body.error.code, 'team_read_only');
        assert.equal((await writeOnB.post('/api/v1/events', event())).status, 423, 'ingest too');
        const undone = nextChange(b.engine, 'team.state');
        assert.equal((await owner.client.delete('/api/v1/team/cancellation')).status, 200, 'undone through A');
        await undone;
        assert.equal((await adminOnB.post('/api/v1/people', { name: 'Again' })).status, 201);
    });
    it('a person erased on one node: the other forgets their subject key and the values it opened', async () => {
        const owner = await signUp(a.server, 'nodes-erase');
        const admin = await keyClient(a.server, owner.client, 'secret', 'admin');
        const adminOnB = TestClient.withKey(b.server, admin.token);
        const email = `erin-${randomBytes(4).toString('hex')}@erase.test`;
        const created = await adminOnB.post('/api/v1/people', { name: 'Erin', emails: [email] });
        assert.equal(created.status, 201);
        const personId = created.body.id;
        assert.equal((await adminOnB.post('/api/v1/privacy/subjects/find', { email })).body.people.length, 1, 'B has looked the address up');
        const subjects = await withTeam(b.engine, owner.teamId, (tx) => tx.query(`SELECT subject_id FROM subject_keys WHERE team_id = $1`, [owner.teamId]));
        const subjectIds = subjects.rows.map((r) => r.subject_id);
        assert.ok(subjectIds.length > 0);
        const cache = b.keyring.cache;
        const memo = b.keyring.blindIndexes.memo;
        assert.ok(subjectIds.some((s) => cache.get(`s:${owner.teamId}:${s}`)), 'B holds the subject key in memory');
        assert.ok(memo.holdsValue(owner.teamId, email), 'B remembers the index of the address');
        const heard = nextChange(b.engine, 'subject.shredded');
        assert.equal((await owner.client.post('/api/v1/privacy/erasures', { personId })).status, 202, 'erased through A');
        await heard;
        await new Promise((r) => setImmediate(r));
        for (const s of subjectIds)
            assert.equal(cache.get(`s:${owner.teamId}:${s}`), undefined, 'no subject key of the person left on B');
        assert.equal(memo.holdsValue(undefined, email), false, 'B keeps no index keyed by the address');
        const keys = await withTeam(b.engine, owner.teamId, (tx) => b.keyring.subjectKeysFor(tx, owner.teamId, subjectIds, { create: false }));
        assert.equal(keys.size, 0, 'B cannot open anything sealed for the person');
    });
    it("a team deleted by one node: the other forgets the team's keys and indexes", async () => {
        const owner = await signUp(a.server, 'nodes-delete');
        const admin = await keyClient(a.server, owner.client, 'secret', 'admin');
        const adminOnB = TestClient.withKey(b.server, admin.token);
        const email = `dora-${randomBytes(4).toString('hex')}@delete.test`;
        assert.equal((await adminOnB.post('/api/v1/people', { name: 'Dora', emails: [email] })).status, 201);
        assert.equal((await adminOnB.post('/api/v1/privacy/subjects/find', { email })).body.people.length, 1);
        const keys = b.keyring.cache.entries;
        const memo = b.keyring.blindIndexes.memo;
        const held = () => [...keys.keys()].filter((k) => k.includes(owner.teamId)).length + memo.countOf(owner.teamId);
        assert.ok(held() > 0, 'B holds keys and indexes of the team');
        const heard = nextChange(b.engine, 'team.deleted');
        await deleteTeamData(a.engine, owner.teamId);
        assert.deepEqual(await heard, { topic: 'team.deleted', teamId: owner.teamId });
        assert.equal(held(), 0, 'B holds nothing of the deleted team');
    });
    it('while a node cannot hear the others it remembers nothing, and it listens again by itself', async () => {
        const owner = await signUp(a.server, 'nodes-deaf');
        const key = await keyClient(a.server, owner.client, 'write');
        const onB = TestClient.withKey(b.server, key.token);
        assert.equal((await onB.post('/api/v1/events', event())).status, 200, 'B remembers the key');
        // Cut the listening connections, as a network blip or a database restart would.
        const deaf = nextEverything(b.engine);
        const admin = new pg.Client({ connectionString: b.engine.connectionString });
        await admin.connect();
        try {
            const cut = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN haven_changes' AND pid <> pg_backend_pid()`);
            assert.equal(cut.rowCount, 2, "both nodes' listeners");
        }
        finally {
            await admin.end();
        }
        await deaf;
        // A revokes; B may have missed the notice, so it must not answer from memory.
        await owner.client.delete(`/api/v1/api-keys/${key.id}`);
        assert.equal((await onB.post('/api/v1/events', event())).status, 401, 'looked up, not remembered');
        await until('both nodes listening again', () => a.engine.changes.live && b.engine.changes.live);
        assert.equal((await onB.post('/api/v1/events', event())).status, 401);
    });
});
//# sourceMappingURL=several-nodes.test.js.map