/**
 * Ingest benchmark: Haven's native ingest (authenticated, guarded, person-resolved, deduplicated,
 * encrypted, RLS-scoped, committed before the answer) against the raw-stack baseline
 * (raw-ingest-server.ts), both as separate processes on the same machine and database engine,
 * loaded by autocannon. For batches of 100 and single events: after an unmeasured warm-up of each
 * server (BENCH_WARMUP seconds), the maximum rate (autocannon, closed loop) in BENCH_ROUNDS rounds
 * of BENCH_SECONDS that alternate the two servers (medians reported), then p50/p99 latency at half
 * of it (paced-load.ts: evenly spaced requests, open loop), and each server's peak memory.
 *   node ingest.bench.js pglite|postgres
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openPostgres } from '../src/platform/db/postgres-engine.js';
import { pacedLoad } from './paced-load.js';
const kind = process.argv[2] === 'postgres' ? 'postgres' : 'pglite';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 3);
const VISITORS = 2_000;
// BENCH_PROFILE=<dir>: both servers write a V8 CPU profile there (node --cpu-prof) when stopped.
const PROFILE = process.env.BENCH_PROFILE;
// BENCH_SIZES=100 runs only the batched case (default: batches of 100, then single events).
const SIZES = (process.env.BENCH_SIZES ?? '100,1').split(',').map(Number);
function start(cmd, env, ready) {
    const flags = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
    const child = spawn(process.execPath, [...flags, ...cmd], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    return new Promise((resolve, reject) => {
        const onData = (d) => {
            out += d;
            const m = ready.exec(out);
            if (m)
                resolve({ child, url: m[1].replace(/\/$/, '') });
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
}
const peakMiB = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
/** CPU seconds (user + system) a process has used; Linux clock ticks are 1/100 s. */
function cpuSeconds(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / 100;
    }
    catch {
        return 0; // it exited
    }
}
/** CPU seconds used by every PostgreSQL process (server and backends) on the machine. */
function postgresCpuSeconds() {
    let total = 0;
    for (const pid of readdirSync('/proc')) {
        if (!/^\d+$/.test(pid))
            continue;
        try {
            if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres')
                total += cpuSeconds(Number(pid));
        }
        catch {
            // gone meanwhile
        }
    }
    return total;
}
let counter = 0;
function batchBody(size) {
    const events = Array.from({ length: size }, () => {
        const n = counter++;
        return {
            type: n % 4 === 0 ? 'page' : 'track',
            event: n % 4 === 0 ? undefined : 'Clicked Button',
            anonymousId: `visitor-${n % VISITORS}`,
            messageId: `m-${process.pid}-${n}`,
            properties: { url: `https://shop.example/products/${n % 500}`, button: 'buy', price: 19.99, tags: ['a', 'b'] },
            context: { page: { url: `https://shop.example/products/${n % 500}`, referrer: 'https://search.example/', title: 'Product' }, locale: 'en-GB' },
        };
    });
    return JSON.stringify({ events });
}
/**
 * Load `url` with autocannon as fast as it answers (closed loop). `pid`: the server's process, whose CPU time per event is reported
 * (and, on PostgreSQL, the database's), a figure the machine's other load disturbs less than rates.
 */
async function load(url, headers, size, seconds = SECONDS, pid) {
    const cpuBefore = pid ? cpuSeconds(pid) : 0;
    const dbBefore = kind === 'postgres' ? postgresCpuSeconds() : 0;
    const result = await autocannon({
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: seconds,
        headers: { 'content-type': 'application/json', ...headers },
        requests: [{ setupRequest: (req) => ({ ...req, body: batchBody(size) }) }],
    });
    const ok = result['2xx'];
    if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors against ${url}`);
    const events = ok * size;
    const appMicros = pid ? ((cpuSeconds(pid) - cpuBefore) / events) * 1e6 : 0;
    const dbMicros = kind === 'postgres' ? ((postgresCpuSeconds() - dbBefore) / events) * 1e6 : 0;
    return { reqPerSec: ok / seconds, eventsPerSec: events / seconds, appMicros, dbMicros };
}
/** Each figure's median over the rounds (its own median: rates and CPU times need not come from the same round). */
function medianOf(rounds) {
    const median = (pick) => {
        const xs = rounds.map(pick).sort((a, b) => a - b);
        const mid = Math.floor(xs.length / 2);
        return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
    };
    return { reqPerSec: median((r) => r.reqPerSec), eventsPerSec: median((r) => r.eventsPerSec), appMicros: median((r) => r.appMicros), dbMicros: median((r) => r.dbMicros) };
}
async function main() {
    const dist = fileURLToPath(new URL('..', import.meta.url));
    const dataDir = mkdtempSync(join(tmpdir(), 'haven-ingest-bench-'));
    let databaseUrl = '';
    let rawUrl = '';
    if (kind === 'postgres') {
        const admin = await openPostgres(process.env.HAVEN_TEST_DATABASE_URL);
        const name = `haven_ingest_${randomBytes(4).toString('hex')}`;
        await admin.ownerExec(`CREATE DATABASE ${name}; `);
        await admin.ownerExec(`CREATE DATABASE ${name}_raw`);
        await admin.close();
        const u = new URL(process.env.HAVEN_TEST_DATABASE_URL);
        u.pathname = `/${name}`;
        databaseUrl = u.toString();
        u.pathname = `/${name}_raw`;
        rawUrl = u.toString();
    }
    const env = { ...process.env, HAVEN_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HAVEN_MASTER_KEY: randomBytes(32).toString('base64'), HAVEN_RATE_LIMIT_PER_MINUTE: '100000000', HAVEN_LOG_LEVEL: 'warn' };
    const haven = await start([join(dist, 'src/cli/main.js'), 'start', '--port', '0'], env, /Haven is ready at (\S+) /);
    const raw = await start([join(dist, 'bench/raw-ingest-server.js'), kind, kind === 'postgres' ? rawUrl : join(dataDir, 'raw')], env, /ready (\S+)/);
    try {
        const signUp = await fetch(`${haven.url}/api/v1/auth/sign-up`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: 'bench@example.test', password: 'a long benchmark password', teamName: 'Bench' }),
        });
        const csrf = (await signUp.json()).csrfToken;
        const cookie = signUp.headers.get('set-cookie').split(';')[0];
        const key = (await (await fetch(`${haven.url}/api/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify({ name: 'bench', kind: 'write' }) })).json());
        const havenTarget = { url: `${haven.url}/api/v1/events`, headers: { authorization: `Bearer ${key.token}` } };
        const rawTarget = { url: `${raw.url}/ingest`, headers: {} };
        console.log(`\n== ingest benchmark — ${kind}, ${CONNECTIONS} connections, ${ROUNDS} alternated rounds of ${SECONDS} s per server after ${WARMUP_SECONDS} s of warm-up, ${VISITORS} visitors ==`);
        for (const size of SIZES) {
            // Unmeasured warm-up of both servers: JIT compilation, and Haven's first sight of every visitor.
            await load(rawTarget.url, rawTarget.headers, size, WARMUP_SECONDS);
            await load(havenTarget.url, havenTarget.headers, size, WARMUP_SECONDS);
            // Rounds alternate the two servers (and which goes first), so a machine that speeds up or
            // slows down during the run weighs on both alike; each figure is the median of its rounds.
            const rawRounds = [];
            const havenRounds = [];
            const runRaw = async () => rawRounds.push(await load(rawTarget.url, rawTarget.headers, size, SECONDS, raw.child.pid));
            const runHaven = async () => havenRounds.push(await load(havenTarget.url, havenTarget.headers, size, SECONDS, haven.child.pid));
            for (let round = 0; round < ROUNDS; round++) {
                if (round % 2 === 0) {
                    await runRaw();
                    await runHaven();
                }
                else {
                    await runHaven();
                    await runRaw();
                }
            }
            const rawMax = medianOf(rawRounds);
            const havenMax = medianOf(havenRounds);
            const half = (target, max) => pacedLoad({ url: target.url, headers: target.headers, body: () => batchBody(size), ratePerSecond: Math.max(1, max.reqPerSec / 2), seconds: SECONDS * 2 });
            const rawHalf = await half(rawTarget, rawMax);
            const havenHalf = await half(havenTarget, havenMax);
            const ratio = havenMax.eventsPerSec / rawMax.eventsPerSec;
            const roundRatios = havenRounds.map((h, i) => h.eventsPerSec / rawRounds[i].eventsPerSec).sort((a, b) => a - b);
            console.log(`${size === 1 ? 'single events' : `batches of ${size}`}: Haven ${Math.round(havenMax.eventsPerSec).toLocaleString('en')} events/s · baseline ${Math.round(rawMax.eventsPerSec).toLocaleString('en')} events/s · ratio ${ratio.toFixed(2)}` +
                `${size === 100 ? ` (target ≥ 0.60: ${ratio >= 0.6 ? 'MET' : 'MISSED'})` : ''}` +
                ` [rounds ${roundRatios[0].toFixed(2)}–${roundRatios.at(-1).toFixed(2)}]` +
                ` | at half load (paced): Haven p50 ${havenHalf.p50} ms p99 ${havenHalf.p99} ms${size === 100 ? ` (target p99 < 50 ms: ${havenHalf.p99 < 50 ? 'MET' : 'MISSED'})` : ''} · baseline p50 ${rawHalf.p50} ms p99 ${rawHalf.p99} ms`);
            const cpu = (r) => `${r.appMicros.toFixed(0)} µs${kind === 'postgres' ? ` + PostgreSQL ${r.dbMicros.toFixed(0)} µs` : ''}`;
            console.log(`  CPU per event at max rate (median of rounds): Haven ${cpu(havenMax)} · baseline ${cpu(rawMax)}`);
        }
        console.log(`peak memory: Haven ${peakMiB(haven.child.pid).toFixed(0)} MiB · baseline ${peakMiB(raw.child.pid).toFixed(0)} MiB`);
    }
    finally {
        haven.child.kill('SIGTERM');
        raw.child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 1500));
        rmSync(dataDir, { recursive: true, force: true });
    }
}
await main();
//# sourceMappingURL=ingest.bench.js.map