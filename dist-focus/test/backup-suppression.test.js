import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHaven } from '../src/app.js';
import { replaySteps } from '../src/cli/restore.js';
import { allMigrations } from '../src/modules/index.js';
import { identityHash, liftSuppression, prepareOutgoingEmail } from '../src/modules/privacy/index.js';
import { restoreBackup, verifyArchive, writeBackup } from '../src/platform/backup/index.js';
import { configFromEnv } from '../src/platform/config.js';
import { Keyring } from '../src/platform/crypto/keyring.js';
import { envMasterKey } from '../src/platform/crypto/master-key/env/env-master-key.js';
import { deleteTeamData } from '../src/platform/db/delete-team-data.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { openErasureLedger } from '../src/platform/erasure-ledger/index.js';
import { createLogger } from '../src/platform/log.js';
import { TestClient, keyClient, signUp } from './support/client.js';
import { ENGINES, freshEngine, startTestHaven } from './support/haven.js';
import { tempDirs } from './support/temp-dirs.js';
import { tablesHolding } from './support/team-data.js';
/**
 * Suppressions (objection, one-click unsubscribe, erasure with suppression) and their lifts are in
 * the erasure ledger, so restoring a backup taken before them neither loses an objection nor brings
 * back one the person lifted. Each case restores the same archive once WITHOUT the ledger as a
 * control — it shows the opposite state — so the case can only pass because the ledger is replayed.
 */
const masterKey = randomBytes(32).toString('base64');
const master = Buffer.from(masterKey, 'base64');
const knownMigrations = allMigrations.map((m) => m.id);
const tempDir = tempDirs();
async function backupOf(engine, ledger) {
    const file = join(tempDir('suppression-archive'), 'haven.tar.gz');
    await writeBackup(engine, file, { master, ledger });
    return file;
}
async function restoreInto(target, file, ledger) {
    const manifest = await verifyArchive(file, { master, knownMigrations });
    const keyring = await Keyring.open(target, envMasterKey(masterKey));
    return restoreBackup(target, file, manifest, { keyring, migrations: allMigrations, ...replaySteps, ledger });
}
function viewOf(server, engine, team) {
    const owner = new TestClient(server);
    owner.cookie = team.owner.client.cookie;
    owner.csrfToken = team.owner.client.csrfToken;
    const ingestKey = TestClient.withKey(server, team.ingestKey);
    const state = async (personId) => {
        const res = await owner.get(`/api/v1/people/${personId}/suppression`);
        assert.equal(res.status, 200, res.raw.body);
        return res.body.identities;
    };
    return {
        state,
        async suppressed(personId) {
            return Object.fromEntries((await state(personId)).map((s) => [`${s.kind}:${s.value}`, s.suppressed]));
        },
        async reasons(personId) {
            return Object.fromEntries((await state(personId)).map((s) => [`${s.kind}:${s.value}`, s.reason]));
        },
        async ingestEmail(email) {
            const res = await ingestKey.post('/api/v1/events', { events: [{ type: 'identify', anonymousId: `anon-${randomBytes(4).toString('hex')}`, traits: { email } }] });
            assert.equal(res.status, 200, res.raw.body);
            return res.body.results[0].code ?? res.body.results[0].status;
        },
        async unsubscribePage(path) {
            return (await server.inject({ method: 'GET', url: path })).body;
        },
        async count(sql, params) {
            return (await engine.ownerTransaction((tx) => tx.query(sql, params))).rows[0].n;
        },
    };
}
/** A Haven on a restored database (its own ledger file, so nothing it does touches the source's). */
async function restoredView(engine, team, fn) {
    const config = { ...configFromEnv({}), rateLimitPerMinute: 1_000_000, masterKey, erasureLedger: join(tempDir('restored-ledger'), 'erasure-ledger.jsonl') };
    const haven = await createHaven(config, createLogger({ level: 'silent' }), { engine, jobs: 'manual' });
    try {
        await fn(viewOf(haven.server, haven.engine, team));
    }
    finally {
        await haven.close(); // closes the engine
    }
}
/** Restore `file` into a fresh database of `kind` (with or without the ledger), look, drop it. */
async function withRestore(kind, file, ledger, team, fn) {
    const target = await freshEngine(kind);
    try {
        const report = await restoreInto(target.engine, file, ledger);
        await restoredView(target.engine, team, (view) => fn(view, report));
    }
    finally {
        await target.drop();
    }
}
async function ledgerEntries(ledger) {
    const out = [];
    for await (const e of ledger.entries())
        out.push(e);
    return out;
}
for (const kind of ENGINES) {
    describe(`suppressions survive restoring an older backup [${kind}]`, () => {
        let source;
        let ledger;
        before(async () => {
            source = await startTestHaven(kind, { masterKey, erasureLedger: join(tempDir('suppression-ledger'), 'erasure-ledger.jsonl') });
            ledger = openErasureLedger(source.config);
        });
        after(async () => {
            await source?.close();
        });
        const tag = () => randomBytes(4).toString('hex');
        async function team() {
            const owner = await signUp(source.server, 'suppressor');
            return { owner, ingestKey: (await keyClient(source.server, owner.client, 'secret', 'admin')).token };
        }
        async function person(t, body) {
            const res = await t.owner.client.post('/api/v1/people', body);
            assert.equal(res.status, 201, res.raw.body);
            return res.body.id;
        }
        /** The path of the one-click unsubscribe link a marketing email to `to` would carry. */
        async function unsubscribePath(t, to) {
            const ctx = { engine: source.engine, keyring: source.keyring, config: source.config };
            const mail = await withTeam(source.engine, t.owner.teamId, (tx) => prepareOutgoingEmail(ctx, tx, t.owner.teamId, { to, subject: 'News', text: 'Hello', category: 'marketing' }));
            return new URL(/^<(.+)>$/.exec(mail.headers['List-Unsubscribe'])[1]).pathname;
        }
        const post = (path) => source.server.inject({ method: 'POST', url: path, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        it('backup → objection, one-click unsubscribe, erasure with suppression → restore the OLD backup → still suppressed; the ledger holds no identity', async () => {
            const t = await team();
            const r = tag();
            const olga = { email: `Olga.${r}@Object.test`, phone: '+1 202 555 0143', externalId: `olga-${r}` };
            const uma = { email: `uma.${r}@unsub.test` };
            const eve = { email: `eve.${r}@erase.test` };
            const olgaId = await person(t, { name: 'Olga Object', emails: [olga.email], phones: [olga.phone], externalIds: [olga.externalId] });
            const umaId = await person(t, { name: 'Uma Unsub', emails: [uma.email] });
            const eveId = await person(t, { name: 'Eve Erase', emails: [eve.email] });
            const link = await unsubscribePath(t, uma.email);
            const old = await backupOf(source.engine, ledger);
            assert.equal((await t.owner.client.post('/api/v1/privacy/objections', { personId: olgaId })).status, 201);
            assert.equal((await post(link)).statusCode, 200);
            assert.equal((await t.owner.client.post('/api/v1/privacy/erasures', { personId: eveId, suppress: true })).status, 202);
            const live = viewOf(source.server, source.engine, t);
            for (const email of [olga.email, uma.email, eve.email])
                assert.equal(await live.ingestEmail(email), 'suppressed');
            const olgaState = await live.state(olgaId);
            // The ledger names each suppression by the list's own HMAC; no email, phone or id in clear.
            const raw = readFileSync(ledger.path, 'utf8');
            for (const value of [olga.email, olga.email.toLowerCase(), olga.phone, olga.phone.replaceAll(' ', ''), '2025550143', olga.externalId, uma.email, eve.email, `olga.${r}`, `uma.${r}`, `eve.${r}`, r]) {
                assert.ok(!raw.toLowerCase().includes(value.toLowerCase()), `the ledger file holds no ${value}`);
            }
            const stored = await source.engine.ownerTransaction((tx) => tx.query(`SELECT kind, identity_hash, reason FROM suppressions WHERE team_id = $1`, [t.owner.teamId]));
            const inLedger = (await ledgerEntries(ledger)).filter((e) => e.kind === 'suppression' && e.teamId === t.owner.teamId);
            assert.deepEqual(inLedger.map((e) => e.kind === 'suppression' && `${e.identityKind}:${e.identity}:${e.reason}`).sort(), stored.rows.map((s) => `${s.kind}:${Buffer.from(s.identity_hash).toString('hex')}:${s.reason}`).sort());
            assert.equal(inLedger.length, 5, "olga's email, phone and external id; uma's email; eve's email");
            // The database copy commits with the suppression, so later backups carry it too.
            assert.equal((await source.engine.ownerTransaction((tx) => tx.query(`SELECT count(*)::int AS n FROM erasure_ledger WHERE team_id = $1 AND kind = 'suppression'`, [t.owner.teamId]))).rows[0].n, 5);
            // Control: the old backup without the ledger has none of it.
            await withRestore(kind, old, undefined, t, async (view) => {
                assert.deepEqual(Object.values(await view.suppressed(olgaId)), [false, false, false]);
                assert.equal(await view.ingestEmail(olga.email), 'accepted');
                assert.equal(await view.ingestEmail(uma.email), 'accepted');
            });
            await withRestore(kind, old, ledger, t, async (view, report) => {
                assert.equal(report.replay.suppressions, 5);
                assert.equal(report.replay.suppressionsLifted, 0);
                assert.equal(report.replay.people, 1, 'eve is erased again');
                assert.deepEqual(Object.values(await view.suppressed(olgaId)), [true, true, true]);
                assert.deepEqual(Object.values(await view.reasons(olgaId)), ['objection', 'objection', 'objection']);
                assert.deepEqual(await view.state(olgaId), olgaState, 'the same state, since the same time');
                assert.deepEqual(await view.reasons(umaId), { [`email:${uma.email}`]: 'unsubscribe' });
                for (const email of [olga.email, uma.email, eve.email])
                    assert.equal(await view.ingestEmail(email), 'suppressed', email);
                assert.equal(await view.ingestEmail(`someone.${r}@else.test`), 'accepted');
                assert.match(await view.unsubscribePage(link), /You are unsubscribed/);
                assert.equal(await view.count(`SELECT count(*)::int AS n FROM suppressions WHERE team_id = $1 AND reason = 'erasure'`, [t.owner.teamId]), 1);
            });
        });
        it('a team that had indexed no identity when the backup was taken: an objection made since is still matched after restoring it', async () => {
            const t = await team();
            const file = await backupOf(source.engine, ledger);
            const email = `first.${tag()}@empty.test`;
            assert.equal((await t.owner.client.post('/api/v1/privacy/objections', { email })).status, 201);
            await withRestore(kind, file, undefined, t, async (view) => assert.equal(await view.ingestEmail(email), 'accepted', 'control: not in the backup'));
            await withRestore(kind, file, ledger, t, async (view, report) => {
                assert.ok(report.replay.suppressions >= 1);
                // The hash was made with the team's blind-index key, which the backup holds (made with the team).
                assert.equal(await view.ingestEmail(email), 'suppressed');
            });
        });
        it('backup → suppress → backup2 → lift (resubscribe link, operator unsuppress) → restore backup2 → not suppressed; a later objection stands again', async () => {
            const t = await team();
            const r = tag();
            const ana = `ana.${r}@lift.test`;
            const ben = `ben.${r}@lift.test`;
            const anaId = await person(t, { emails: [ana] });
            const benId = await person(t, { emails: [ben] });
            const benLink = await unsubscribePath(t, ben);
            const backup1 = await backupOf(source.engine, ledger);
            assert.equal((await t.owner.client.post('/api/v1/privacy/objections', { email: ana })).status, 201);
            assert.equal((await post(benLink)).statusCode, 200);
            const backup2 = await backupOf(source.engine, ledger);
            // The person through their link; an operator as `haven privacy unsuppress` does.
            assert.equal((await post(`${benLink}/resubscribe`)).statusCode, 200);
            const hash = await withTeam(source.engine, t.owner.teamId, (tx) => identityHash(source.keyring, tx, t.owner.teamId, { kind: 'email', value: ana }));
            assert.equal(await liftSuppression(source, t.owner.teamId, 'email', hash), true);
            assert.equal(await liftSuppression(source, t.owner.teamId, 'email', hash), false, 'nothing left to lift: no second entry');
            const lifts = (await ledgerEntries(ledger)).filter((e) => e.kind === 'suppression_lifted' && e.teamId === t.owner.teamId);
            assert.equal(lifts.length, 2);
            const live = viewOf(source.server, source.engine, t);
            assert.equal(await live.ingestEmail(ana), 'accepted');
            // Control: backup2 without the ledger still has both suppressions.
            await withRestore(kind, backup2, undefined, t, async (view) => {
                assert.deepEqual(await view.suppressed(anaId), { [`email:${ana}`]: true });
                assert.deepEqual(await view.suppressed(benId), { [`email:${ben}`]: true });
            });
            await withRestore(kind, backup2, ledger, t, async (view, report) => {
                assert.equal(report.replay.suppressionsLifted, 2);
                assert.deepEqual(await view.suppressed(anaId), { [`email:${ana}`]: false });
                assert.deepEqual(await view.suppressed(benId), { [`email:${ben}`]: false });
                assert.equal(await view.ingestEmail(ana), 'accepted');
                assert.equal(await view.ingestEmail(ben), 'accepted');
                assert.match(await view.unsubscribePage(benLink), /Unsubscribe\?/);
            });
            // From before both: each suppression is put back, then lifted — in ledger order.
            await withRestore(kind, backup1, ledger, t, async (view, report) => {
                assert.ok(report.replay.suppressions >= 2 && report.replay.suppressionsLifted >= 2);
                assert.deepEqual(await view.suppressed(anaId), { [`email:${ana}`]: false });
                assert.deepEqual(await view.suppressed(benId), { [`email:${ben}`]: false });
            });
            // Ana objects again: the latest entry decides, so the restore suppresses her once more.
            assert.equal((await t.owner.client.post('/api/v1/privacy/objections', { personId: anaId })).status, 201);
            await withRestore(kind, backup2, ledger, t, async (view) => {
                assert.deepEqual(await view.suppressed(anaId), { [`email:${ana}`]: true });
                assert.deepEqual(await view.suppressed(benId), { [`email:${ben}`]: false });
                assert.equal(await view.ingestEmail(ana), 'suppressed');
            });
        });
        it('a lift is stamped after the suppression it removes, even one stamped by a clock running ahead', async () => {
            const t = await team();
            const email = `skew.${tag()}@clock.test`;
            const id = await person(t, { emails: [email] });
            const file = await backupOf(source.engine, ledger);
            // Another app node, its clock two minutes ahead, recorded the objection.
            const ahead = new Date(Date.now() + 120_000).toISOString();
            const hash = await withTeam(source.engine, t.owner.teamId, async (tx) => {
                const h = await identityHash(source.keyring, tx, t.owner.teamId, { kind: 'email', value: email });
                await tx.query(`INSERT INTO suppressions (team_id, kind, identity_hash, reason, source, created_at) VALUES ($1, 'email', $2, 'objection', 'team', $3)`, [t.owner.teamId, h, ahead]);
                await ledger.append({ kind: 'suppression', teamId: t.owner.teamId, identityKind: 'email', identity: h.toString('hex'), reason: 'objection', source: 'team', at: ahead }, tx);
                return h;
            });
            assert.equal(await liftSuppression(source, t.owner.teamId, 'email', hash), true);
            const lifted = (await ledgerEntries(ledger)).find((e) => e.kind === 'suppression_lifted' && e.identity === hash.toString('hex'));
            assert.ok(lifted && lifted.kind === 'suppression_lifted' && lifted.at > ahead, JSON.stringify(lifted));
            await withRestore(kind, file, ledger, t, async (view) => {
                assert.deepEqual(await view.suppressed(id), { [`email:${email}`]: false });
            });
        });
        it('replay follows time, not the order lines were written; at an equal time a lift comes first', async () => {
            const t = await team();
            const r = tag();
            const emails = Array.from({ length: 9 }, (_, i) => `tie${i}.${r}@order.test`);
            const id = await person(t, { emails });
            const file = await backupOf(source.engine, ledger);
            const hashes = await withTeam(source.engine, t.owner.teamId, async (tx) => Promise.all(emails.map(async (value) => (await identityHash(source.keyring, tx, t.owner.teamId, { kind: 'email', value })).toString('hex'))));
            const base = Date.now() + 60_000;
            const at = (ms) => new Date(base + ms).toISOString();
            const sup = (identity, ms) => ({ kind: 'suppression', teamId: t.owner.teamId, identityKind: 'email', identity, reason: 'objection', source: 'team', at: at(ms) });
            const lift = (identity, ms) => ({ kind: 'suppression_lifted', teamId: t.owner.teamId, identityKind: 'email', identity, at: at(ms) });
            // The first: its lift written before its suppression (as when an archive's entries are added
            // to the file later), but later in time. The others: lifted and suppressed again in one instant.
            await ledger.appendAll([lift(hashes[0], 5), sup(hashes[0], 1)]);
            for (const h of hashes.slice(1))
                await ledger.appendAll([sup(h, 1), sup(h, 7), lift(h, 7)].sort(() => Math.random() - 0.5));
            await withRestore(kind, file, ledger, t, async (view) => {
                const expected = Object.fromEntries(emails.map((e, i) => [`email:${e}`, i > 0]));
                assert.deepEqual(await view.suppressed(id), expected);
            });
        });
        it('suppressions of a team the ledger deletes, or of a team the backup does not hold, are not put back', async () => {
            const doomed = await team();
            const email = `doomed.${tag()}@gone.test`;
            const doomedPerson = await person(doomed, { emails: [email] });
            const file = await backupOf(source.engine, ledger);
            const late = await team();
            assert.equal((await doomed.owner.client.post('/api/v1/privacy/objections', { personId: doomedPerson })).status, 201);
            assert.equal((await late.owner.client.post('/api/v1/privacy/objections', { email: `late.${tag()}@new.test` })).status, 201);
            const hash = await withTeam(source.engine, doomed.owner.teamId, (tx) => identityHash(source.keyring, tx, doomed.owner.teamId, { kind: 'email', value: email }));
            await ledger.append({ kind: 'team', teamId: doomed.owner.teamId, erasedAt: new Date().toISOString() });
            // An unsubscribe link clicked while the team was being deleted: ledgered after the deletion.
            await ledger.append({ kind: 'suppression', teamId: doomed.owner.teamId, identityKind: 'email', identity: hash.toString('hex'), reason: 'unsubscribe', source: 'link', at: new Date(Date.now() + 1000).toISOString() });
            await deleteTeamData(source.engine, doomed.owner.teamId);
            const target = await freshEngine(kind);
            try {
                const report = await restoreInto(target.engine, file, ledger);
                const OUTLIVING = new Set(['erasure_ledger', 'team_deletion_certificates']);
                assert.deepEqual(await target.engine.ownerTransaction((tx) => tablesHolding(tx, doomed.owner.teamId, OUTLIVING)), []);
                assert.deepEqual(await target.engine.ownerTransaction((tx) => tablesHolding(tx, late.owner.teamId, OUTLIVING)), [], 'no orphan suppression of a team that is not there');
                assert.ok(report.replay.teams >= 1);
                assert.ok(report.replay.suppressionsMoot >= 2, "the objection and the late click of the deleted team's person");
            }
            finally {
                await target.drop();
            }
        });
    });
}
//# sourceMappingURL=backup-suppression.test.js.map