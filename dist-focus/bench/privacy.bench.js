/**
 * Privacy benchmark (issue #6, ARCHITECTURE §6): one person with BENCH_EVENTS (default 100 000)
 * events, and a team with BENCH_TEAM_EVENTS (default 1 000 000) events.
 *
 *   - shred: `erasePerson` — ledger append (fsync), subject keys deleted, identities gone. Target < 1 s.
 *   - purge: the purge job deleting the person's rows. Target < 30 s.
 *   - export: the person's whole JSON export streamed to a sink, with peak memory. Target < 3 s, flat.
 *   - team deletion: `deleteTeamData` of the big team, verified empty.
 *
 * Baselines measured in the same run on the same database: reading the same event rows without
 * decrypting (export) and one plain `DELETE … WHERE person_id` (purge).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createHaven } from '../src/app.js';
import { configFromEnv } from '../src/platform/config.js';
import { deleteTeamData } from '../src/platform/db/delete-team-data.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { createLogger } from '../src/platform/log.js';
import { PeopleService } from '../src/modules/people/index.js';
import { collectPersonExport, erasePerson, exportAsJson, purgeErasedPerson } from '../src/modules/privacy/index.js';
import { eventPayloadContext } from '../src/modules/tracking/ingest.js';
import { openBenchEngine } from './bench-engine.js';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const TEAM_EVENTS = Number(process.env.BENCH_TEAM_EVENTS ?? 1_000_000);
const kind = process.argv[2] === 'postgres' ? 'postgres' : 'pglite';
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
/** Insert `n` events for a person: real sealed payloads (the export decrypts them), batched. */
async function seedEvents(ctx, teamId, personId, n, sealed) {
    const batch = 5_000;
    const key = sealed ? await withTeam(ctx.engine, teamId, async (tx) => (await ctx.keyring.subjectKeysFor(tx, teamId, [personId], { create: true })).get(personId)) : null;
    const start = Date.now() - n * 1000;
    for (let done = 0; done < n; done += batch) {
        const size = Math.min(batch, n - done);
        const ids = [];
        const times = [];
        const hashes = [];
        const payloads = [];
        for (let i = 0; i < size; i++) {
            const id = randomUUID();
            ids.push(id);
            times.push(new Date(start + (done + i) * 1000));
            hashes.push(randomBytes(32).toString('hex'));
            const payload = Buffer.from(JSON.stringify({ properties: { url: `https://shop.test/p/${done + i}`, title: `Page ${done + i}`, plan: 'pro' } }));
            payloads.push((key ? ctx.keyring.sealWith(key, eventPayloadContext(teamId, id), payload) : randomBytes(80)).toString('hex'));
        }
        await withTeam(ctx.engine, teamId, (tx) => tx.query(`INSERT INTO events (team_id, id, person_id, subject_id, type, name, occurred_at, message_hash, payload_sealed)
         SELECT $1, u.id, $2, $2, 'page', NULL, u.t, decode(u.h, 'hex'), decode(u.p, 'hex')
           FROM unnest($3::uuid[], $4::timestamptz[], $5::text[], $6::text[]) AS u(id, t, h, p)`, [teamId, personId, ids, times, hashes, payloads]));
    }
}
async function main() {
    const engine = await openBenchEngine(kind);
    const dir = mkdtempSync(join(tmpdir(), 'haven-privacy-bench-'));
    const config = { ...configFromEnv({}), dataDir: dir, masterKey: randomBytes(32).toString('base64'), erasureLedger: join(dir, 'ledger.jsonl') };
    const haven = await createHaven(config, createLogger({ level: 'silent' }), { engine, jobs: 'manual' });
    const ctx = { engine, keyring: haven.keyring, config, logger: createLogger({ level: 'silent' }), jobs: haven.jobs };
    const people = new PeopleService(haven.keyring);
    const actor = { type: 'system', id: null };
    try {
        console.log(`\n== privacy benchmark — ${kind}, a person with ${EVENTS.toLocaleString('en')} events; a team with ${TEAM_EVENTS.toLocaleString('en')} ==`);
        const teamId = randomUUID();
        await withTeam(engine, teamId, (tx) => tx.query(`INSERT INTO teams (team_id, name) VALUES ($1, 'Bench')`, [teamId]));
        const person = await withTeam(engine, teamId, (tx) => people.create(tx, teamId, { name: 'Bench Person', emails: ['bench@person.test'], externalIds: ['bench-1'] }));
        let t = performance.now();
        await seedEvents(ctx, teamId, person.id, EVENTS, true);
        console.log(`seeded ${EVENTS.toLocaleString('en')} sealed events in ${s(performance.now() - t)}`);
        // Export, streamed to a sink that only counts; memory sampled throughout.
        globalThis.gc?.();
        const base = process.memoryUsage();
        let peakRss = base.rss;
        let peakHeap = base.heapUsed;
        const sampler = setInterval(() => {
            const m = process.memoryUsage();
            peakRss = Math.max(peakRss, m.rss);
            peakHeap = Math.max(peakHeap, m.heapUsed);
        }, 10);
        let bytes = 0;
        t = performance.now();
        const exp = await collectPersonExport(ctx, teamId, person.id);
        await pipeline(Readable.from(exportAsJson(exp)), new Writable({
            write(chunk, _e, done) {
                bytes += chunk.length;
                // Sampled here too: on PGlite the export may never yield to timers until it ends.
                const m = process.memoryUsage();
                peakRss = Math.max(peakRss, m.rss);
                peakHeap = Math.max(peakHeap, m.heapUsed);
                done();
            },
        }));
        const exportMs = performance.now() - t;
        clearInterval(sampler);
        t = performance.now();
        let rows = 0;
        for (let cursor = null;;) {
            const page = await withTeam(engine, teamId, (tx) => tx.query(`SELECT id, occurred_at, payload_sealed FROM events WHERE team_id = $1 AND person_id = $2 AND ($3::timestamptz IS NULL OR (occurred_at, id) < ($3, $4::uuid))
            ORDER BY occurred_at DESC, id DESC LIMIT 1000`, [teamId, person.id, cursor?.at ?? null, cursor?.id ?? null]));
            rows += page.rows.length;
            if (page.rows.length < 1000)
                break;
            const last = page.rows.at(-1);
            cursor = { at: last.occurred_at, id: last.id };
        }
        const rawReadMs = performance.now() - t;
        console.log(`export:  ${s(exportMs)} for ${(bytes / 1048576).toFixed(1)} MiB of JSON (target < 3 s) — raw read of the same ${rows.toLocaleString('en')} rows ${s(rawReadMs)}, ratio ${(rawReadMs / exportMs).toFixed(2)}×; peak memory +${mib(peakRss - base.rss)} RSS, +${mib(peakHeap - base.heapUsed)} heap (flat: independent of the event count)`);
        t = performance.now();
        const request = await erasePerson(ctx, teamId, person.id, actor);
        const shredMs = performance.now() - t;
        console.log(`shred:   ${s(shredMs)} (target < 1 s) — keys gone, person unfindable`);
        t = performance.now();
        const purged = await purgeErasedPerson(ctx, { teamId, personId: person.id, privacyRequestId: request.id });
        const purgeMs = performance.now() - t;
        // Baseline: the same number of rows deleted by one plain statement.
        const other = await withTeam(engine, teamId, (tx) => people.create(tx, teamId, { name: 'Baseline' }));
        await seedEvents(ctx, teamId, other.id, EVENTS, false);
        t = performance.now();
        await withTeam(engine, teamId, (tx) => tx.query(`DELETE FROM events WHERE team_id = $1 AND person_id = $2`, [teamId, other.id]));
        const rawDeleteMs = performance.now() - t;
        console.log(`purge:   ${s(purgeMs)} for ${purged.events.toLocaleString('en')} events (target < 30 s) — one plain DELETE of as many rows ${s(rawDeleteMs)}, ratio ${(rawDeleteMs / purgeMs).toFixed(2)}×`);
        // Team deletion: a team with many people and TEAM_EVENTS events.
        const big = randomUUID();
        await withTeam(engine, big, (tx) => tx.query(`INSERT INTO teams (team_id, name) VALUES ($1, 'Big')`, [big]));
        t = performance.now();
        const perPerson = 10_000;
        for (let done = 0; done < TEAM_EVENTS; done += perPerson) {
            const p = await withTeam(engine, big, (tx) => people.create(tx, big, { name: `P ${done}` }));
            await seedEvents(ctx, big, p.id, Math.min(perPerson, TEAM_EVENTS - done), false);
        }
        console.log(`seeded a team with ${TEAM_EVENTS.toLocaleString('en')} events in ${s(performance.now() - t)}`);
        t = performance.now();
        const report = await deleteTeamData(engine, big);
        console.log(`team deletion: ${s(performance.now() - t)} for ${report.total.toLocaleString('en')} rows, verified none left`);
    }
    finally {
        await haven.close();
        rmSync(dir, { recursive: true, force: true });
    }
}
await main();
//# sourceMappingURL=privacy.bench.js.map