/**
 * Ingest racing the things that change people under it: an erasure, a merge, another ingest
 * changing the same people in the opposite order. Each race is forced, not hoped for: a hook
 * holds the ingest's transaction just before it takes hold of its people (the `FOR KEY SHARE`
 * statement) while the other side commits. On PGlite transactions run one at a time, so the other
 * side waits for the ingest instead; the outcome must be just as sound.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PURGE_PERSON_JOB } from '../src/modules/privacy/index.js';
import { keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** The answer, or a failure after 10 s: a request queued behind the paused one must not hang the suite. */
function within(answer) {
    let timer;
    const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 10 s: it queued behind the paused transaction')), 10_000);
    });
    return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}
/**
 * Make the next transaction that holds people for its events (holdForEvents, `FOR KEY SHARE`) —
 * or that locks them for a change of profile (lockForChange, `FOR NO KEY UPDATE`) — wait at that
 * statement (or, `after`, at the statement after it) until `release` is called.
 */
function pauseBeforeHold(haven, lock = 'FOR KEY SHARE', where = 'before') {
    return pauseAtNth(haven, lock, 1, where);
}
/**
 * Pause the next transaction at the `nth` statement whose SQL includes `needle` (or at the one
 * after it), until `release`; `arrived` resolves when it gets there. `failures` collects the error
 * codes of the transactions that fail meanwhile (a deadlock's victim is 40P01).
 */
function pauseAtNth(haven, needle, nth, where = 'before') {
    const engine = haven.engine;
    const original = engine.transaction.bind(engine);
    const failures = [];
    let release;
    const released = new Promise((resolve) => (release = resolve));
    let reached;
    const arrived = new Promise((resolve) => (reached = resolve));
    let armed = true;
    engine.transaction = (fn, settings) => original((tx) => {
        const paused = Object.create(tx);
        let seen = 0;
        let pauseNext = false;
        paused.query = (async (sql, params) => {
            const hit = armed && sql.includes(needle) && ++seen === nth;
            if (pauseNext || (hit && where === 'before')) {
                armed = false;
                pauseNext = false;
                reached();
                await released;
            }
            else if (hit) {
                armed = false;
                pauseNext = true; // this transaction's next statement
            }
            return tx.query(sql, params);
        });
        return fn(paused);
    }, settings).catch((error) => {
        failures.push(String(error.code));
        throw error;
    });
    return { arrived, release, failures, restore: () => (engine.transaction = original) };
}
describeEngines('ingest races: erasure, merge and opposite-order changes meanwhile', (haven, kind) => {
    const server = () => haven().server;
    const { count } = ownerSql(haven);
    async function team(tag) {
        const a = await signUp(server(), tag);
        // An admin key: its answers name each event's person and what the privacy rules did.
        const ingestKey = (await keyClient(server(), a.client, 'secret', 'admin')).client;
        const ingest = (events) => ingestKey.post('/api/v1/events', { events });
        return { ...a, ingest };
    }
    /**
     * A merging group, paused by `pause` once its people are locked, and a plain group storing events
     * for those people meanwhile: both are answered, every plain event stored, and no transaction was
     * a deadlock's victim.
     */
    async function neitherDeadlocks(t, pause, mergeEvents, plainEvents) {
        try {
            const merge = t.ingest(mergeEvents);
            await within(pause.arrived);
            const plain = t.ingest(plainEvents);
            await sleep(200);
            pause.release();
            const [m, p] = await Promise.all([within(merge), within(plain)]);
            assert.deepEqual([m.status, p.status], [200, 200]);
            assert.deepEqual(p.body.results.map((r) => r.status), plainEvents.map(() => 'accepted'));
        }
        finally {
            pause.release();
            pause.restore();
        }
        assert.ok(!pause.failures.includes('40P01'), `no deadlock: ${pause.failures.join(', ')}`);
    }
    it('an erasure that commits while an event for the person is on its way leaves no key and no event', async () => {
        const t = await team('erase-race');
        const first = await t.ingest([{ type: 'page', anonymousId: 'victim', properties: { url: 'https://r.test/' } }]);
        const person = first.body.results[0].personId;
        const pause = pauseBeforeHold(haven());
        try {
            const late = t.ingest([{ type: 'track', anonymousId: 'victim', event: 'Viewed', properties: { secret: 'after-erasure' } }]);
            // PostgreSQL: the ingest found the person and now waits; the erasure commits meanwhile.
            // PGlite: one transaction at a time, so the erasure waits for the ingest (released below).
            if (kind === 'postgres')
                await pause.arrived;
            const erasure = t.client.post('/api/v1/privacy/erasures', { personId: person });
            if (kind === 'postgres')
                assert.equal((await within(erasure)).status, 202);
            else
                await late; // PGlite holds nobody (ingest/store-events.ts): the ingest simply goes first
            pause.release();
            const answer = await late;
            assert.equal((await erasure).status, 202);
            assert.equal(answer.status, 200);
            if (kind === 'postgres') {
                assert.deepEqual([answer.body.results[0].status, answer.body.results[0].code], ['rejected', 'person_erased'], 'refused, not sealed under a new key');
            }
        }
        finally {
            pause.release();
            pause.restore();
        }
        assert.equal(await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1 AND subject_id = $2`, [t.teamId, person]), 0, 'no key of the erased person');
        await haven().jobs.runNow(PURGE_PERSON_JOB);
        assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND person_id = $2`, [t.teamId, person]), 0, 'no event of the erased person');
        // The visitor coming back afterwards is a new person, as after any erasure.
        const again = await t.ingest([{ type: 'page', anonymousId: 'victim' }]);
        assert.equal(again.body.results[0].status, 'accepted');
        assert.notEqual(again.body.results[0].personId, person);
    });
    it('a visitor merged into someone else (by another of their ids) while their event is on its way: the event is stored for the merged person', async () => {
        const t = await team('merge-race');
        const known = (await t.ingest([{ type: 'identify', userId: 'merge-user', traits: { name: 'Known' } }])).body.results[0].personId;
        const visitor = (await t.ingest([{ type: 'page', anonymousId: 'mv-x' }])).body.results[0].personId;
        assert.notEqual(visitor, known);
        // The visitor has a second anonymous id: the merge below names that one, so it does not queue
        // behind the late event's lock on the first.
        assert.equal((await t.client.patch(`/api/v1/people/${visitor}`, { anonymousIds: ['mv-x', 'mv-y'] })).status, 200);
        const pause = pauseBeforeHold(haven());
        try {
            const late = t.ingest([{ type: 'track', anonymousId: 'mv-x', event: 'On its way' }]);
            if (kind === 'postgres')
                await pause.arrived;
            const merge = t.ingest([{ type: 'identify', userId: 'merge-user', anonymousId: 'mv-y' }]);
            if (kind === 'postgres')
                assert.equal((await within(merge)).body.results[0].personId, known);
            else
                await late; // PGlite holds nobody (ingest/store-events.ts): the ingest simply goes first
            pause.release();
            const answer = await within(late);
            assert.equal((await merge).status, 200);
            assert.equal(answer.status, 200);
            // PGlite stored it before the merge, for the visitor; the merge then moved it (counted below).
            assert.deepEqual([answer.body.results[0].status, answer.body.results[0].personId], ['accepted', kind === 'postgres' ? known : visitor]);
        }
        finally {
            pause.release();
            pause.restore();
        }
        assert.equal(await count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1 AND id = $2`, [t.teamId, visitor]), 0, 'merged away');
        assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND person_id = $2`, [t.teamId, known]), 4, 'identify, page, merging identify, the late track');
    });
    it('traits for a person erased while they are on their way: the event is refused as person_erased, never a 404 for the request', async () => {
        const t = await team('erase-traits');
        const person = (await t.ingest([{ type: 'identify', userId: 'et-user', traits: { name: 'Before' } }])).body.results[0].personId;
        const pause = pauseBeforeHold(haven(), 'FOR NO KEY UPDATE');
        try {
            const late = t.ingest([
                { type: 'identify', userId: 'et-user', traits: { plan: 'after-erasure' } },
                { type: 'page', anonymousId: 'et-bystander' },
            ]);
            if (kind === 'postgres')
                await pause.arrived;
            const erasure = t.client.post('/api/v1/privacy/erasures', { personId: person });
            if (kind === 'postgres')
                assert.equal((await within(erasure)).status, 202);
            else
                await Promise.race([pause.arrived, late]); // PGlite takes no lock for the change: the ingest may simply go first
            pause.release();
            const answer = await within(late);
            assert.equal((await erasure).status, 202);
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            assert.equal(answer.body.results[1].status, 'accepted', 'the other event of the request is stored');
            if (kind === 'postgres')
                assert.deepEqual([answer.body.results[0].status, answer.body.results[0].code], ['rejected', 'person_erased']);
        }
        finally {
            pause.release();
            pause.restore();
        }
        assert.equal(await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1 AND subject_id = $2`, [t.teamId, person]), 0, 'no key of the erased person');
    });
    it('a known user on a new device, erased while the event is on its way: no new key, no id left on the erased person, and the device starts afresh', async () => {
        const t = await team('erase-attach');
        const person = (await t.ingest([{ type: 'identify', userId: 'ea-user', traits: { name: 'Before' } }])).body.results[0].personId;
        const pause = pauseBeforeHold(haven(), 'FOR NO KEY UPDATE');
        try {
            // A track (no traits) whose anonymous id is new: the id would be attached to the user's person.
            const late = t.ingest([{ type: 'track', userId: 'ea-user', anonymousId: 'ea-new-device', event: 'From a new device' }]);
            if (kind === 'postgres')
                await within(pause.arrived);
            const erasure = t.client.post('/api/v1/privacy/erasures', { personId: person, suppress: true });
            if (kind === 'postgres')
                assert.equal((await within(erasure)).status, 202);
            else
                await Promise.race([pause.arrived, late]);
            pause.release();
            const answer = await within(late);
            assert.equal((await erasure).status, 202);
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            if (kind === 'postgres')
                assert.deepEqual([answer.body.results[0].status, answer.body.results[0].code], ['rejected', 'person_erased']);
        }
        finally {
            pause.release();
            pause.restore();
        }
        assert.equal(await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1 AND subject_id = $2`, [t.teamId, person]), 0, 'no key of the erased person');
        assert.equal(await count(`SELECT count(*)::int AS n FROM person_identities WHERE team_id = $1 AND person_id = $2`, [t.teamId, person]), 0, 'no id left on the erased person');
        await haven().jobs.runNow(PURGE_PERSON_JOB);
        // The user id stays suppressed. On PostgreSQL the new device was never attached to them: a
        // visitor like any other. (On PGlite the two requests run one after the other, in either order.)
        const after = await t.ingest([
            { type: 'track', userId: 'ea-user', event: 'Back' },
            { type: 'track', anonymousId: 'ea-new-device', event: 'Back' },
        ]);
        const codes = after.body.results.map((r) => r.code ?? r.status);
        assert.equal(codes[0], 'suppressed');
        if (kind === 'postgres')
            assert.equal(codes[1], 'accepted');
    });
    it('consent required: an identify refused because its person was erased meanwhile vouches for nothing, and leaves no visitor behind', { skip: kind !== 'postgres' && 'one transaction at a time' }, async () => {
        const t = await team('erase-vouch');
        const person = (await t.ingest([{ type: 'identify', userId: 'ev-user' }])).body.results[0].personId;
        assert.equal((await t.client.post(`/api/v1/people/${person}/consents`, { purpose: 'analytics', lawfulBasis: 'consent', source: 'signup form' })).status, 201);
        assert.equal((await t.client.patch('/api/v1/privacy/settings', { consentRequiredFor: 'analytics' })).status, 200);
        const pause = pauseBeforeHold(haven(), 'FOR NO KEY UPDATE');
        let answer;
        try {
            // The identify joins a new device's id to the consented person; the page view on that id is
            // kept on the identify's word. The person is erased while the request waits for its lock.
            const late = t.ingest([
                { type: 'identify', userId: 'ev-user', anonymousId: 'ev-device' },
                { type: 'page', anonymousId: 'ev-device', properties: { url: 'https://ev.test/' } },
            ]);
            await within(pause.arrived);
            assert.equal((await within(t.client.post('/api/v1/privacy/erasures', { personId: person }))).status, 202);
            pause.release();
            answer = await within(late);
        }
        finally {
            pause.release();
            pause.restore();
        }
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.deepEqual(answer.body.results.map((r) => r.code), ['person_erased', 'consent_required']);
        assert.deepEqual((await t.client.get('/api/v1/people?anonymousId=ev-device')).body.people, [], 'no visitor made for the refused page view');
        assert.equal(await count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [t.teamId]), 1, 'only the erased person, until the purge');
    });
    it('traits for a visitor merged into someone else while they are on their way: the ids are resolved again and the traits land on the merged person', async () => {
        const t = await team('merge-traits');
        const known = (await t.ingest([{ type: 'identify', userId: 'mt-user', traits: { name: 'Known' } }])).body.results[0].personId;
        const visitor = (await t.ingest([{ type: 'page', anonymousId: 'mt-x' }])).body.results[0].personId;
        assert.equal((await t.client.patch(`/api/v1/people/${visitor}`, { anonymousIds: ['mt-x', 'mt-y'] })).status, 200);
        const pause = pauseBeforeHold(haven(), 'FOR NO KEY UPDATE');
        try {
            const late = t.ingest([{ type: 'identify', anonymousId: 'mt-x', traits: { plan: 'pro' } }]);
            if (kind === 'postgres')
                await pause.arrived;
            // Names the visitor's other id, so it does not queue behind the late event's lock on the first.
            const merge = t.ingest([{ type: 'identify', userId: 'mt-user', anonymousId: 'mt-y' }]);
            if (kind === 'postgres')
                assert.equal((await within(merge)).body.results[0].personId, known);
            else
                await Promise.race([pause.arrived, late]); // PGlite takes no lock for the change: the ingest may simply go first
            pause.release();
            const answer = await within(late);
            assert.equal((await merge).status, 200);
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            assert.equal(answer.body.results[0].status, 'accepted');
            // PGlite: stored for the visitor before the merge, or in the same group as the merge.
            if (kind === 'postgres')
                assert.equal(answer.body.results[0].personId, known);
            else
                assert.ok([visitor, known].includes(answer.body.results[0].personId));
        }
        finally {
            pause.release();
            pause.restore();
        }
        const merged = (await t.client.get(`/api/v1/people/${known}`)).body;
        assert.equal(merged.properties.plan, 'pro', 'the traits reached the merged person');
    });
    it('a rectification meeting ingest that adds an email to the same person: both succeed (a deadlock between them is run again)', async () => {
        const t = await team('rectify-race');
        const person = (await t.ingest([{ type: 'identify', userId: 'rr-user', traits: { email: 'a@rr.test' } }])).body.results[0].personId;
        // The ingest holds the person (after lockForChange) when the rectification takes the emails and
        // then waits for the person; the ingest then wants the emails: a deadlock on PostgreSQL.
        const pause = pauseBeforeHold(haven(), 'FOR NO KEY UPDATE', 'after');
        try {
            const late = t.ingest([{ type: 'identify', userId: 'rr-user', traits: { email: 'b@rr.test' } }]);
            if (kind === 'postgres')
                await pause.arrived;
            const rectify = t.client.patch(`/api/v1/people/${person}`, { emails: ['a@rr.test', 'c@rr.test'] });
            if (kind === 'postgres')
                await sleep(200); // the rectification now waits for the person
            else
                await Promise.race([pause.arrived, late]); // PGlite takes no lock for the change: the ingest may simply go first
            pause.release();
            const [ingested, rectified] = await Promise.all([within(late), within(rectify)]);
            assert.equal(ingested.status, 200, JSON.stringify(ingested.body));
            assert.equal(ingested.body.results[0].status, 'accepted', JSON.stringify(ingested.body));
            assert.equal(rectified.status, 200, JSON.stringify(rectified.body));
        }
        finally {
            pause.release();
            pause.restore();
        }
        const emails = (await t.client.get(`/api/v1/people/${person}`)).body.emails;
        assert.ok(emails.includes('a@rr.test') && emails.includes('c@rr.test'), JSON.stringify(emails));
    });
    it('requests changing the same two people in opposite order, side by side, all succeed with every change kept', async () => {
        const t = await team('opposite');
        await t.ingest([
            { type: 'identify', userId: 'u1', anonymousId: 'a1' },
            { type: 'identify', userId: 'u2', anonymousId: 'b2' },
        ]);
        const statuses = [];
        for (let round = 0; round < 8; round++) {
            const answers = await Promise.all([
                t.ingest([
                    { type: 'identify', userId: 'u1', traits: { [`x${round}`]: round } },
                    { type: 'identify', anonymousId: 'b2', traits: { [`x${round}`]: round } },
                ]),
                t.ingest([
                    { type: 'identify', userId: 'u2', traits: { [`y${round}`]: round } },
                    { type: 'identify', anonymousId: 'a1', traits: { [`y${round}`]: round } },
                ]),
            ]);
            statuses.push(...answers.map((a) => a.status));
        }
        assert.deepEqual([...new Set(statuses)], [200]);
        const people = (await t.client.get('/api/v1/people?limit=10')).body.people;
        assert.equal(people.length, 2);
        for (const p of people)
            assert.equal(Object.keys(p.properties).length, 16, JSON.stringify(p.properties));
    });
    it('an objection recorded while an identify that attaches a new user id is on its way: the new id joins the list, later events by it are refused', async () => {
        const t = await team('objection-race');
        const person = (await t.ingest([{ type: 'page', anonymousId: 'or-v1' }])).body.results[0].personId;
        const pause = pauseBeforeHold(haven(), 'FOR NO KEY UPDATE');
        let objection;
        try {
            const late = t.ingest([{ type: 'identify', anonymousId: 'or-v1', userId: 'or-new' }]);
            // PostgreSQL: the ingest passed the suppression check and waits to attach the id; the
            // objection waits for it (the list's lock) rather than read the person's ids without it.
            if (kind === 'postgres')
                await pause.arrived;
            else
                await Promise.race([pause.arrived, late]); // PGlite: one transaction at a time
            objection = t.client.post('/api/v1/privacy/objections', { personId: person });
            if (kind === 'postgres')
                await sleep(300);
            pause.release();
            assert.equal((await within(late)).body.results[0].status, 'accepted');
            assert.equal((await within(objection)).status, 201);
        }
        finally {
            pause.release();
            pause.restore();
        }
        const states = (await t.client.get(`/api/v1/people/${person}/suppression`)).body.identities;
        assert.deepEqual(states.map((s) => [s.kind, s.value, s.suppressed]).sort(), [['anonymous_id', 'or-v1', true], ['external_id', 'or-new', true]]);
        assert.equal((await t.ingest([{ type: 'track', userId: 'or-new', event: 'After' }])).body.results[0].code, 'suppressed');
    });
    it('a merge and a group storing events for both of its people queue, never deadlock', { skip: kind !== 'postgres' && 'one transaction at a time' }, async () => {
        const t = await team('merge-order');
        // The identified person must sort first: a group holding both for its events takes it first.
        let user = '';
        let anon = '';
        for (let n = 0; n < 40 && !user; n++) {
            const r = await t.ingest([{ type: 'identify', userId: `mo-u${n}` }, { type: 'page', anonymousId: `mo-a${n}` }]);
            if (r.body.results[0].personId < r.body.results[1].personId)
                [user, anon] = [`mo-u${n}`, `mo-a${n}`];
        }
        assert.ok(user, 'a pair in the wanted order');
        // The merge waits as it reads the second of its two people (getPerson, FOR UPDATE) …
        const pause = pauseAtNth(haven(), 'erased_at IS NULL FOR UPDATE', 2);
        // … while a group holds both people for its events, in id order.
        await neitherDeadlocks(t, pause, [{ type: 'identify', userId: user, anonymousId: anon }], [{ type: 'page', anonymousId: anon }, { type: 'page', userId: user }]);
    });
    it('a group making two merges and a group storing events for people of both queue, never deadlock', { skip: kind !== 'postgres' && 'one transaction at a time' }, async () => {
        const t = await team('two-merges');
        const pairs = [];
        for (let n = 0; n < 10; n++) {
            const r = await t.ingest([{ type: 'identify', userId: `tm-u${n}` }, { type: 'page', anonymousId: `tm-a${n}` }]);
            pairs.push({ user: `tm-u${n}`, anon: `tm-a${n}`, ids: [r.body.results[0].personId, r.body.results[1].personId].sort() });
        }
        // The second pair's lower id sorts below the first pair's higher one: a group holding those two
        // for its events takes the second pair's first, then waits for the first pair's.
        let first;
        let second;
        for (const x of pairs)
            for (const y of pairs)
                if (!first && x !== y && y.ids[0] < x.ids[1])
                    [first, second] = [x, y];
        assert.ok(first && second);
        const holderOf = async (id) => (await t.client.get(`/api/v1/people/${id}`)).body;
        const asEvent = async (id) => {
            const p = await holderOf(id);
            return p.externalIds[0] ? { type: 'page', userId: p.externalIds[0] } : { type: 'page', anonymousId: p.anonymousIds[0] };
        };
        const plainEvents = [await asEvent(second.ids[0]), await asEvent(first.ids[1])];
        // The merging group waits once its people are locked (after its second FOR UPDATE statement)…
        const pause = pauseAtNth(haven(), 'ORDER BY id FOR UPDATE', 2);
        // … while a plain group holds people of both pairs for its events.
        const merges = [
            { type: 'identify', userId: first.user, anonymousId: first.anon },
            { type: 'identify', userId: second.user, anonymousId: second.anon },
        ];
        await neitherDeadlocks(t, pause, merges, plainEvents);
    });
    it("two groups counting the guard's findings in opposite order queue, never deadlock", { skip: kind !== 'postgres' && 'one transaction at a time' }, async () => {
        const t = await team('counts-order');
        const saved = await t.client.put('/api/v1/tracking/restricted-data', { mode: 'reject', detectors: [{ id: 'health', label: 'Health', kind: 'keywords', terms: ['dépression'] }] });
        assert.equal(saved.status, 200, saved.raw.body);
        const card = { type: 'track', anonymousId: 'co-1', event: 'Pay', properties: { card: '4111 1111 1111 1111' } };
        const health = { type: 'track', anonymousId: 'co-1', event: 'Read', properties: { topic: 'dépression' } };
        const pause = pauseAtNth(haven(), 'INSERT INTO restricted_data_counts', 2);
        try {
            const a = t.ingest([health, card, { type: 'page', anonymousId: 'co-ok-a' }]);
            await within(pause.arrived);
            const b = t.ingest([card, health, { type: 'page', anonymousId: 'co-ok-b' }]);
            await sleep(200);
            pause.release();
            const [ra, rb] = await Promise.all([within(a), within(b)]);
            assert.deepEqual([ra.status, rb.status], [200, 200]);
        }
        finally {
            pause.release();
            pause.restore();
        }
        assert.deepEqual(pause.failures, [], 'no transaction failed');
        const counts = (await t.client.get('/api/v1/tracking/restricted-data/counts')).body.counts;
        assert.deepEqual(counts.map((c) => [c.reason, c.events]).sort(), [['detector:health', 2], ['payment_card', 2]]);
    });
});
//# sourceMappingURL=ingest-races.test.js.map