import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { entryKey, entryTime, erasureLedgerPath, normaliseEntry, openErasureLedger } from './index.js';
const dirs = [];
function ledgerAt() {
    const dir = mkdtempSync(join(tmpdir(), 'haven-ledger-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'erasure-ledger.jsonl');
    return { path, ledger: openErasureLedger({ erasureLedger: path, dataDir: dir }) };
}
const person = () => ({ kind: 'person', teamId: randomUUID(), personId: randomUUID(), subjectIds: [randomUUID(), randomUUID()], erasedAt: new Date().toISOString() });
const team = () => ({ kind: 'team', teamId: randomUUID(), erasedAt: new Date().toISOString() });
const user = () => ({ kind: 'user', userId: randomUUID(), erasedAt: new Date().toISOString() });
const hmac = () => randomBytes(32).toString('hex');
const suppression = () => ({ kind: 'suppression', teamId: randomUUID(), identityKind: 'email', identity: hmac(), reason: 'objection', source: 'team', at: new Date().toISOString() });
const lift = () => ({ kind: 'suppression_lifted', teamId: randomUUID(), identityKind: 'phone', identity: hmac(), at: new Date().toISOString() });
async function readAll(ledger) {
    const readout = { lines: 0, tornTail: false };
    const lines = [];
    for await (const l of ledger.lines(readout))
        lines.push(l);
    return { lines, readout };
}
async function entriesOf(ledger) {
    const out = [];
    for await (const e of ledger.entries())
        out.push(e);
    return out;
}
describe('erasure ledger file', () => {
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
    it('defaults to <dataDir>/erasure-ledger.jsonl; HAVEN_ERASURE_LEDGER (config.erasureLedger) moves it', () => {
        assert.equal(erasureLedgerPath({ erasureLedger: undefined, dataDir: '/srv/haven' }), '/srv/haven/erasure-ledger.jsonl');
        assert.equal(erasureLedgerPath({ erasureLedger: '/durable/ledger.jsonl', dataDir: '/srv/haven' }), '/durable/ledger.jsonl');
    });
    it('appends entries durably, creating the file 0600, and reads them back in order with the chain intact', async () => {
        const { path, ledger } = ledgerAt();
        assert.deepEqual(await entriesOf(ledger), [], 'a missing file is an empty ledger');
        const written = [person(), team(), person(), suppression(), lift(), user()];
        for (const e of written)
            await ledger.append(e);
        assert.equal(statSync(path).mode & 0o777, 0o600);
        assert.deepEqual(await entriesOf(ledger), written);
        const { lines, readout } = await readAll(ledger);
        assert.deepEqual(lines.map((l) => l.damage), [null, null, null, null, null, null]);
        assert.deepEqual(readout, { lines: 6, tornTail: false });
        // Ids, identity HMACs and a time only: nothing but the entry's own fields and the chain link.
        const fields = {
            team: ['erasedAt', 'kind', 'prev', 'teamId'],
            person: ['erasedAt', 'kind', 'personId', 'prev', 'subjectIds', 'teamId'],
            suppression: ['at', 'identity', 'identityKind', 'kind', 'prev', 'reason', 'source', 'teamId'],
            suppression_lifted: ['at', 'identity', 'identityKind', 'kind', 'prev', 'teamId'],
            user: ['erasedAt', 'kind', 'prev', 'userId'],
        };
        for (const line of readFileSync(path, 'utf8').trim().split('\n')) {
            assert.deepEqual(Object.keys(JSON.parse(line)).sort(), fields[JSON.parse(line).kind]);
        }
    });
    it('a torn last line (crash mid-append) is skipped, and the next append cuts it off without losing earlier entries', async () => {
        const { path, ledger } = ledgerAt();
        const first = [person(), person()];
        for (const e of first)
            await ledger.append(e);
        appendFileSync(path, '{"kind":"person","teamId":"');
        const torn = await readAll(ledger);
        assert.equal(torn.readout.tornTail, true);
        assert.deepEqual(torn.lines.map((l) => l.entry), first);
        assert.deepEqual(torn.lines.map((l) => l.damage), [null, null]);
        const next = team();
        await ledger.append(next);
        const healed = await readAll(ledger);
        assert.deepEqual(healed.readout, { lines: 3, tornTail: false });
        assert.deepEqual(healed.lines.map((l) => l.damage), [null, null, null], 'the new line chains to the last complete one');
        assert.deepEqual(await entriesOf(ledger), [...first, next]);
    });
    it('a file that is only a torn line is cut to nothing by the next append', async () => {
        const { path, ledger } = ledgerAt();
        await ledger.append(team());
        writeFileSync(path, '{"kind":"te');
        const e = person();
        await ledger.append(e);
        assert.deepEqual(await entriesOf(ledger), [e]);
        assert.deepEqual((await readAll(ledger)).lines.map((l) => l.damage), [null]);
    });
    it('is tamper-evident: an edited, removed or inserted line breaks the chain at the line after it', async () => {
        const { path, ledger } = ledgerAt();
        const written = [person(), person(), team(), person()];
        for (const e of written)
            await ledger.append(e);
        const original = readFileSync(path, 'utf8');
        const lines = original.trimEnd().split('\n');
        const other = randomUUID();
        writeFileSync(path, `${[lines[0], lines[1].replace(/"personId":"[^"]+"/, `"personId":"${other}"`), lines[2], lines[3]].join('\n')}\n`);
        let read = await readAll(ledger);
        assert.deepEqual(read.lines.map((l) => l.damage === null), [true, true, false, true], 'an edit shows at the next line');
        writeFileSync(path, `${[lines[0], lines[2], lines[3]].join('\n')}\n`);
        read = await readAll(ledger);
        assert.deepEqual(read.lines.map((l) => l.damage === null), [true, false, true], 'a removed line shows');
        // Damaged lines still give their entries: replaying an erasure is never harmful.
        assert.deepEqual(read.lines.map((l) => l.entry), [written[0], written[2], written[3]]);
        writeFileSync(path, `${[lines[0], 'not json', lines[1]].join('\n')}\n`);
        read = await readAll(ledger);
        assert.deepEqual(read.lines.map((l) => l.damage), [null, 'not JSON', read.lines[2].damage]);
        assert.match(read.lines[2].damage, /does not chain/);
        writeFileSync(path, original);
        assert.deepEqual((await readAll(ledger)).lines.map((l) => l.damage), [null, null, null, null], 'the original verifies');
    });
    it('appends several entries at once, in order and chained, and refuses the whole batch if one is not an entry', async () => {
        const { ledger } = ledgerAt();
        const first = person();
        await ledger.append(first);
        const batch = [suppression(), suppression(), lift()];
        await ledger.appendAll(batch);
        await ledger.appendAll([]);
        assert.deepEqual(await entriesOf(ledger), [first, ...batch]);
        assert.deepEqual((await readAll(ledger)).lines.map((l) => l.damage), [null, null, null, null]);
        await assert.rejects(ledger.appendAll([suppression(), { ...suppression(), identity: 'user@example.test' }]), TypeError);
        assert.equal((await entriesOf(ledger)).length, 4, 'nothing of a refused batch is written');
    });
    it('concurrent appends (in this process and through the lock file) never fork the chain', async () => {
        const { path, ledger } = ledgerAt();
        const twin = openErasureLedger({ erasureLedger: path, dataDir: '/unused' });
        const written = Array.from({ length: 40 }, (_, i) => [team, person, suppression, lift][i % 4]());
        await Promise.all(written.map((e, i) => (i % 2 ? ledger : twin).append(e)));
        const { lines } = await readAll(ledger);
        assert.equal(lines.length, 40);
        assert.deepEqual(lines.map((l) => l.damage).filter(Boolean), []);
        assert.deepEqual(new Set(lines.map((l) => entryKey(l.entry).toString('hex'))), new Set(written.map((e) => entryKey(e).toString('hex'))));
    });
    it('normalises entries (case, repeats, time) and refuses anything that is not one', async () => {
        const t = randomUUID().toUpperCase();
        const s = randomUUID();
        assert.deepEqual(normaliseEntry({ kind: 'person', teamId: t, personId: s, subjectIds: [s, s.toUpperCase()], erasedAt: '2026-01-02T03:04:05Z' }), {
            kind: 'person',
            teamId: t.toLowerCase(),
            personId: s,
            subjectIds: [s],
            erasedAt: '2026-01-02T03:04:05.000Z',
        });
        const h = randomBytes(32).toString('hex');
        assert.deepEqual(normaliseEntry({ kind: 'suppression', teamId: t, identityKind: 'external_id', identity: h.toUpperCase(), reason: 'unsubscribe', source: 'link', at: new Date('2026-01-02T03:04:05Z'), personId: s }), { kind: 'suppression', teamId: t.toLowerCase(), identityKind: 'external_id', identity: h, reason: 'unsubscribe', source: 'link', at: '2026-01-02T03:04:05.000Z' }, 'lower-case hash, ISO time, and fields of other kinds dropped');
        assert.deepEqual(normaliseEntry({ kind: 'suppression_lifted', teamId: t, identityKind: 'email', identity: h, at: '2026-01-02T03:04:05.5+01:00', reason: 'objection' }), {
            kind: 'suppression_lifted',
            teamId: t.toLowerCase(),
            identityKind: 'email',
            identity: h,
            at: '2026-01-02T02:04:05.500Z',
        });
        assert.equal(entryTime(normaliseEntry({ kind: 'suppression_lifted', teamId: t, identityKind: 'email', identity: h, at: '2026-01-02T03:04:05Z' })), '2026-01-02T03:04:05.000Z');
        assert.equal(entryTime(normaliseEntry({ kind: 'team', teamId: t, erasedAt: '2026-01-02T03:04:05Z' })), '2026-01-02T03:04:05.000Z');
        assert.deepEqual(normaliseEntry({ kind: 'user', userId: t, teamId: s, erasedAt: '2026-01-02T03:04:05Z' }), { kind: 'user', userId: t.toLowerCase(), erasedAt: '2026-01-02T03:04:05.000Z' }, 'an account belongs to no team');
        const { ledger } = ledgerAt();
        const now = new Date().toISOString();
        const sup = { kind: 'suppression', teamId: t, identityKind: 'email', identity: h, reason: 'objection', source: 'team', at: now };
        for (const bad of [
            // Never the identity itself, nor a truncated index: the full HMAC, in hex.
            { ...sup, identity: 'someone@example.test' },
            { ...sup, identity: h.slice(0, 32) },
            { ...sup, identity: `${h.slice(0, 63)}g` },
            { ...sup, identityKind: 'name' },
            { ...sup, reason: 'because' },
            { ...sup, source: 'someone' },
            { ...sup, at: undefined, erasedAt: now },
            { ...sup, teamId: 'nope' },
            { kind: 'suppression_lifted', teamId: t, identityKind: 'email', at: now },
            { kind: 'person', teamId: 'nope', personId: s, subjectIds: [], erasedAt: new Date().toISOString() },
            { kind: 'person', teamId: t, subjectIds: [], erasedAt: new Date().toISOString() },
            { kind: 'team', teamId: t, erasedAt: 'yesterday' },
            { kind: 'company', teamId: t, erasedAt: new Date().toISOString() },
            { kind: 'user', userId: 'ada@example.test', erasedAt: new Date().toISOString() },
            { kind: 'user', teamId: t, erasedAt: new Date().toISOString() },
            { kind: 'person', teamId: t, personId: s, subjectIds: ['x'], erasedAt: new Date().toISOString() },
        ]) {
            await assert.rejects(ledger.append(bad), TypeError);
        }
        assert.deepEqual(await entriesOf(ledger), []);
    });
});
//# sourceMappingURL=erasure-ledger.test.js.map