import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHaven } from '../src/app.js';
import { replaySteps } from '../src/cli/restore.js';
import { allMigrations } from '../src/modules/index.js';
import { restoreBackup, verifyArchive, writeBackup } from '../src/platform/backup/index.js';
import { configFromEnv } from '../src/platform/config.js';
import { Keyring } from '../src/platform/crypto/keyring.js';
import { envMasterKey } from '../src/platform/crypto/master-key/env/env-master-key.js';
import { openErasureLedger } from '../src/platform/erasure-ledger/index.js';
import { createLogger } from '../src/platform/log.js';
import { TestClient, keyClient, signUp } from './support/client.js';
import { ENGINES, freshEngine, startTestHaven } from './support/haven.js';
import { tempDirs } from './support/temp-dirs.js';
import { tablesHolding } from './support/team-data.js';
/**
 * A backup taken while a visitor and a known person were two profiles, then the visitor merged
 * into the person, then the person erased: restoring that backup must delete BOTH profiles and
 * everything hanging off each (identities and their blind indexes, name tokens, notes, consents,
 * events, merge links) — the ledger entry lists the visitor as one of the person's subject ids.
 */
const masterKey = randomBytes(32).toString('base64');
const master = Buffer.from(masterKey, 'base64');
const knownMigrations = allMigrations.map((m) => m.id);
/** Records of erasures that name erased ids by design (ids only). */
const OUTLIVING = new Set(['erasure_ledger', 'team_deletion_certificates']);
/** Every table that hangs off a person, with the rows a person of this suite has in it. */
const PERSON_TABLES = ['people', 'person_identities', 'person_name_tokens', 'person_notes', 'person_subjects', 'consents', 'events'];
const tempDir = tempDirs();
/** Rows per table of PERSON_TABLES for the team, as the owner (past row-level security). */
async function rowsPerTable(engine, teamId) {
    return engine.ownerTransaction(async (tx) => {
        const out = {};
        for (const t of PERSON_TABLES)
            out[t] = (await tx.query(`SELECT count(*)::int AS n FROM ${t} WHERE team_id = $1`, [teamId])).rows[0].n;
        return out;
    });
}
for (const kind of ENGINES) {
    describe(`restore after a merge then an erasure [${kind}]`, () => {
        let source;
        before(async () => {
            source = await startTestHaven(kind, { masterKey, erasureLedger: join(tempDir('merge-ledger'), 'erasure-ledger.jsonl') });
        });
        after(async () => {
            await source?.close();
        });
        it('backup → visitor merged into a person → person erased → restore: neither profile nor anything of theirs is left; the rest of the team is', async () => {
            const owner = await signUp(source.server, 'merge-erase');
            const c = owner.client;
            const ingestKey = (await keyClient(source.server, c, 'secret', 'admin')).client;
            const tag = randomBytes(4).toString('hex');
            const ingest = async (events) => {
                const res = await ingestKey.post('/api/v1/events', { events });
                assert.equal(res.status, 200, res.raw.body);
                return res.body.results;
            };
            // The known person P, and a kept person K (the control: the restore must leave K whole).
            const p = await c.post('/api/v1/people', { name: `Petra Merge${tag}`, emails: [`petra.${tag}@merge.test`], externalIds: [`p-${tag}`] });
            assert.equal(p.status, 201, p.raw.body);
            const k = await c.post('/api/v1/people', { name: `Kept Person${tag}`, emails: [`kept.${tag}@merge.test`] });
            assert.equal(k.status, 201, k.raw.body);
            // The visitor A: identities, a name (name tokens), a note, a consent and events of their own.
            const [seen] = await ingest([{ type: 'page', anonymousId: `anon-${tag}`, properties: { url: `https://shop.test/${tag}` } }]);
            const visitor = seen.personId;
            assert.equal(seen.status, 'accepted');
            assert.equal((await c.patch(`/api/v1/people/${visitor}`, { name: `Avery Visitor${tag}`, emails: [`avery.${tag}@merge.test`] })).status, 200);
            assert.equal((await c.post(`/api/v1/people/${visitor}/notes`, { body: `Asked about ${tag}` })).status, 201);
            assert.equal((await c.post(`/api/v1/people/${visitor}/consents`, { purpose: 'newsletter', source: 'banner' })).status, 201);
            await ingest([{ type: 'track', anonymousId: `anon-${tag}`, event: 'Viewed' }]);
            for (const id of [p.body.id, k.body.id]) {
                assert.equal((await c.post(`/api/v1/people/${id}/notes`, { body: `Note ${tag}` })).status, 201);
                assert.equal((await c.post(`/api/v1/people/${id}/consents`, { purpose: 'newsletter', source: 'form' })).status, 201);
            }
            const keptBefore = await source.engine.ownerTransaction((tx) => tablesHolding(tx, k.body.id));
            const file = join(tempDir('merge-archive'), 'haven.tar.gz');
            await writeBackup(source.engine, file, { master });
            // After the backup: A is identified as P (merged), then P is erased.
            const [identified] = await ingest([{ type: 'identify', anonymousId: `anon-${tag}`, userId: `p-${tag}` }]);
            assert.equal(identified.personId, p.body.id, 'the visitor merged into P');
            const erased = await c.post('/api/v1/privacy/erasures', { personId: p.body.id });
            assert.equal(erased.status, 202, erased.raw.body);
            const ledger = openErasureLedger(source.config);
            const entries = [];
            for await (const e of ledger.entries())
                entries.push(e);
            const entry = entries.find((e) => e.kind === 'person' && e.personId === p.body.id);
            assert.ok(entry?.kind === 'person' && entry.subjectIds.includes(visitor), 'the ledger lists the visitor among the subject ids');
            const target = await freshEngine(kind);
            try {
                const manifest = await verifyArchive(file, { master, knownMigrations });
                const keyring = await Keyring.open(target.engine, envMasterKey(masterKey));
                const report = await restoreBackup(target.engine, file, manifest, { keyring, migrations: allMigrations, ...replaySteps, ledger });
                for (const [who, id] of [
                    ['P', p.body.id],
                    ['the merged visitor A', visitor],
                ]) {
                    assert.deepEqual(await target.engine.ownerTransaction((tx) => tablesHolding(tx, id, OUTLIVING)), [], `no row names ${who}`);
                }
                // Only K's rows are left in every table that hangs off a person: 1 profile, 1 email
                // identity, K's name tokens, 1 note, 1 consent, no events, no merge links.
                const left = await rowsPerTable(target.engine, owner.teamId);
                const keptTokens = await target.engine.ownerTransaction(async (tx) => (await tx.query(`SELECT count(*)::int AS n FROM person_name_tokens WHERE team_id = $1 AND person_id = $2`, [owner.teamId, k.body.id])).rows[0].n);
                assert.ok(keptTokens > 0);
                assert.deepEqual(left, { people: 1, person_identities: 1, person_name_tokens: keptTokens, person_notes: 1, person_subjects: 0, consents: 1, events: 0 });
                assert.deepEqual(await target.engine.ownerTransaction((tx) => tablesHolding(tx, k.body.id)), keptBefore, 'K is restored whole');
                assert.equal(report.replay.people, 2, 'both profiles the backup held are deleted');
                assert.equal(report.replay.subjectKeys, 2);
                // Through the API: neither is found by any identity; K is.
                const config = { ...configFromEnv({}), rateLimitPerMinute: 1_000_000, masterKey, erasureLedger: join(tempDir('restored-ledger'), 'erasure-ledger.jsonl') };
                const restored = await createHaven(config, createLogger({ level: 'silent' }), { engine: target.engine, jobs: 'manual' });
                try {
                    const client = new TestClient(restored.server);
                    client.cookie = c.cookie;
                    client.csrfToken = c.csrfToken;
                    for (const id of [p.body.id, visitor])
                        assert.equal((await client.get(`/api/v1/people/${id}`)).status, 404);
                    for (const body of [{ email: `avery.${tag}@merge.test` }, { anonymousId: `anon-${tag}` }, { email: `petra.${tag}@merge.test` }]) {
                        const found = await client.post('/api/v1/privacy/subjects/find', body);
                        assert.equal(found.status, 200, found.raw.body);
                        assert.deepEqual(found.body.people, [], JSON.stringify(body));
                    }
                    const kept = await client.post('/api/v1/privacy/subjects/find', { email: `kept.${tag}@merge.test` });
                    assert.deepEqual(kept.body.people.map((x) => x.id), [k.body.id]);
                }
                finally {
                    await restored.close(); // closes target.engine
                }
            }
            finally {
                await target.drop();
            }
        });
    });
}
//# sourceMappingURL=backup-merged-erasure.test.js.map