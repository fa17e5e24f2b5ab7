/**
 * The raw-stack baseline for the ingest benchmark: the same HTTP framework (Fastify) and the same
 * database and driver, inserting the same rows in plaintext — no authentication, no checks, no
 * person resolution, no encryption, no row-level security. Started by ingest.bench.ts.
 *   node raw-ingest-server.js pglite <dataDir> | postgres <url>
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { openPGlite } from '../src/platform/db/pglite-engine.js';
import { openPostgres } from '../src/platform/db/postgres-engine.js';
const [kind, where] = process.argv.slice(2);
const engine = kind === 'postgres' ? await openPostgres(where) : await openPGlite(where);
await engine.ownerExec(`CREATE TABLE IF NOT EXISTS raw_events (
  team_id uuid NOT NULL, id uuid NOT NULL, anonymous_id text NOT NULL, type text NOT NULL, name text,
  occurred_at timestamptz NOT NULL, message_id text NOT NULL, payload jsonb NOT NULL, PRIMARY KEY (team_id, id))`);
const team = randomUUID();
const app = Fastify({ bodyLimit: 1024 * 1024 });
app.post('/ingest', async (request) => {
    const events = request.body.events;
    await engine.ownerTransaction((tx) => tx.query(`INSERT INTO raw_events SELECT $1, id, a, t, n, now(), m, p FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) AS x(id, a, t, n, m, p)`, [
        team,
        events.map(() => randomUUID()),
        events.map((e) => e.anonymousId),
        events.map((e) => e.type),
        events.map((e) => e.event ?? null),
        events.map((e) => e.messageId),
        events.map((e) => JSON.stringify({ properties: e.properties, context: e.context })),
    ]));
    return { accepted: events.length };
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`ready ${address}\n`);
// A clean exit on SIGTERM, so a CPU profile (BENCH_PROFILE) is written.
process.on('SIGTERM', () => process.exit(0));
//# sourceMappingURL=raw-ingest-server.js.map