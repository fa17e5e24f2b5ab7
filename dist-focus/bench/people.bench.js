/**
 * People benchmark (issue: encryption at rest must stay fast enough to be the only way).
 *
 *   1. Encrypt + decrypt a typical person record: Haven's per-field sealing with associated data
 *      under a subject key, against one raw AES-256-GCM seal/open of the same record (baseline).
 *   2. Find one person by email among N people: blind index + verify-by-decrypt, through the HTTP
 *      API with a secret key, against a plaintext table with a btree index in the same database.
 *   3. Find people by name prefix: prefix-token blind index + decrypt-and-filter, against
 *      `lower(name) LIKE 'pre%'` on the plaintext table.
 *
 * Run by `npm run bench` on PGlite and on PostgreSQL; prints figures and ratios.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createHaven } from '../src/app.js';
import { configFromEnv } from '../src/platform/config.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { createLogger } from '../src/platform/log.js';
import { PeopleService } from '../src/modules/people/index.js';
import { openBenchEngine } from './bench-engine.js';
const N = Number(process.env.BENCH_PEOPLE ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const kind = process.argv[2] === 'postgres' ? 'postgres' : 'pglite';
const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Linus', 'Radia', 'Ken', 'Frances', 'John', 'Hedy', 'Tim', 'Sophie', 'Dennis', 'Annie', 'Claude', 'Mary'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Torvalds', 'Perlman', 'Thompson', 'Allen', 'McCarthy', 'Lamarr', 'Berners', 'Wilson', 'Ritchie', 'Easley', 'Shannon', 'Keller'];
function personAt(i) {
    const first = FIRST[i % FIRST.length];
    const last = `${LAST[Math.floor(i / FIRST.length) % LAST.length]}${Math.floor(i / (FIRST.length * LAST.length))}`;
    return {
        name: `${first} ${last}`,
        company: `Company ${i % 997}`,
        emails: [`${first}.${last}.${i}@example.com`.toLowerCase()],
        phones: [`+4420794${String(i).padStart(5, '0')}`],
        properties: { plan: i % 3 === 0 ? 'pro' : 'free', seats: i % 50, signedUpAt: '2026-01-01T00:00:00Z' },
    };
}
function percentile(sorted, p) {
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function summary(samples) {
    const s = [...samples].sort((a, b) => a - b);
    return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
}
const ms = (x) => `${x.toFixed(2)} ms`;
function cryptoThroughput(service, seconds = 1.5) {
    const record = personAt(42);
    let n = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
        for (let i = 0; i < 200; i++)
            service.open(service.seal(record));
        n += 200;
    }
    return n / seconds;
}
async function main() {
    const engine = await openBenchEngine(kind);
    const config = { ...configFromEnv({}), masterKey: randomBytes(32).toString('base64'), rateLimitPerMinute: 10_000_000 };
    const haven = await createHaven(config, createLogger({ level: 'silent' }), { engine });
    const { keyring } = haven;
    console.log(`\n== people benchmark — ${kind}, ${N.toLocaleString('en')} people, ${QUERIES} queries each ==`);
    // 1. Crypto throughput.
    const rawKey = randomBytes(32);
    const raw = {
        seal: (r) => {
            const nonce = randomBytes(12);
            const c = createCipheriv('aes-256-gcm', rawKey, nonce);
            const body = Buffer.concat([c.update(JSON.stringify(r)), c.final()]);
            return { nonce, body, tag: c.getAuthTag() };
        },
        open: (x) => {
            const { nonce, body, tag } = x;
            const d = createDecipheriv('aes-256-gcm', rawKey, nonce);
            d.setAuthTag(tag);
            return JSON.parse(Buffer.concat([d.update(body), d.final()]).toString());
        },
    };
    const subjectKey = randomBytes(32);
    const teamForCrypto = randomUUID();
    const personId = randomUUID();
    const w = (column) => ({ teamId: teamForCrypto, table: 'people', column, rowId: personId });
    const haven1 = {
        seal: (r) => ({
            name: keyring.sealWith(subjectKey, w('name_sealed'), Buffer.from(r.name)),
            company: keyring.sealWith(subjectKey, w('company_sealed'), Buffer.from(r.company)),
            properties: keyring.sealWith(subjectKey, w('properties_sealed'), Buffer.from(JSON.stringify(r.properties))),
            email: keyring.sealWith(subjectKey, w('email'), Buffer.from(r.emails[0])),
            phone: keyring.sealWith(subjectKey, w('phone'), Buffer.from(r.phones[0])),
        }),
        open: (x) => {
            const s = x;
            return {
                name: keyring.openWith(subjectKey, w('name_sealed'), s.name).toString(),
                company: keyring.openWith(subjectKey, w('company_sealed'), s.company).toString(),
                properties: JSON.parse(keyring.openWith(subjectKey, w('properties_sealed'), s.properties).toString()),
                email: keyring.openWith(subjectKey, w('email'), s.email).toString(),
                phone: keyring.openWith(subjectKey, w('phone'), s.phone).toString(),
            };
        },
    };
    const rawRate = cryptoThroughput(raw);
    const havenRate = cryptoThroughput(haven1);
    console.log(`encrypt+decrypt a person record: Haven ${Math.round(havenRate).toLocaleString('en')}/s (5 fields, AAD-bound) · raw AES-256-GCM ${Math.round(rawRate).toLocaleString('en')}/s (1 blob) · ratio ${(havenRate / rawRate).toFixed(2)}`);
    // 2. Seed N people through the real import path, and the plaintext baseline table.
    const signUp = await haven.server.inject({ method: 'POST', url: '/api/v1/auth/sign-up', payload: { email: 'bench@example.com', password: 'benchmark password', teamName: 'Bench' } });
    const teamId = signUp.json().activeTeamId;
    const cookie = signUp.cookies.find((c) => c.name === '__Host-haven_session').value;
    const key = await haven.server.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { cookie: `__Host-haven_session=${cookie}`, 'x-csrf-token': signUp.json().csrfToken },
        payload: { name: 'bench', kind: 'secret', scope: 'read' },
    });
    const auth = { authorization: `Bearer ${key.json().token}` };
    const people = new PeopleService(keyring);
    const seedStart = performance.now();
    const batch = 1000;
    for (let from = 0; from < N; from += batch) {
        const inputs = Array.from({ length: Math.min(batch, N - from) }, (_, k) => personAt(from + k));
        await withTeam(engine, teamId, (tx) => people.importMany(tx, teamId, inputs));
    }
    const seedMs = performance.now() - seedStart;
    await engine.ownerTransaction(async (tx) => {
        await tx.query(`CREATE TABLE bench_plain_people (team_id uuid, id uuid, name text, email text, PRIMARY KEY (team_id, id))`);
        for (let from = 0; from < N; from += 5000) {
            const rows = Array.from({ length: Math.min(5000, N - from) }, (_, k) => personAt(from + k));
            await tx.query(`INSERT INTO bench_plain_people SELECT $1, gen_random_uuid(), n, e FROM unnest($2::text[], $3::text[]) AS t(n, e)`, [
                teamId,
                rows.map((r) => r.name),
                rows.map((r) => r.emails[0]),
            ]);
        }
        await tx.query(`CREATE INDEX bench_plain_email ON bench_plain_people (team_id, email)`);
        await tx.query(`CREATE INDEX bench_plain_name ON bench_plain_people (team_id, lower(name) text_pattern_ops)`);
        await tx.query(`ANALYZE`);
    });
    console.log(`seeded ${N.toLocaleString('en')} encrypted people in ${(seedMs / 1000).toFixed(1)} s (${((seedMs * 1000) / N).toFixed(0)} µs/person, import path)`);
    // 3. Lookups.
    const pick = (i) => personAt(Math.floor(((i * 7919) % QUERIES) * (N / QUERIES)) % N);
    const emailLatency = [];
    for (let i = 0; i < QUERIES; i++) {
        const email = pick(i).emails[0];
        const t = performance.now();
        const res = await haven.server.inject({ url: `/api/v1/people?email=${encodeURIComponent(email.toUpperCase())}`, headers: auth });
        emailLatency.push(performance.now() - t);
        if (res.statusCode !== 200 || res.json().people.length !== 1)
            throw new Error(`lookup failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    const plainEmail = [];
    for (let i = 0; i < QUERIES; i++) {
        const email = pick(i).emails[0];
        const t = performance.now();
        await withTeam(engine, teamId, (tx) => tx.query(`SELECT 1`)); // same transaction setup as Haven's
        await engine.ownerTransaction((tx) => tx.query(`SELECT id, name, email FROM bench_plain_people WHERE team_id = $1 AND email = $2`, [teamId, email]));
        plainEmail.push(performance.now() - t);
    }
    const e = summary(emailLatency);
    const pe = summary(plainEmail);
    console.log(`find by email (HTTP, blind index): p50 ${ms(e.p50)} p95 ${ms(e.p95)} p99 ${ms(e.p99)} · plaintext btree (SQL only) p50 ${ms(pe.p50)} p95 ${ms(pe.p95)} · target p95 < 10 ms: ${e.p95 < 10 ? 'MET' : 'MISSED'}`);
    const prefixes = Array.from({ length: QUERIES }, (_, i) => {
        const p = pick(i);
        const [first, last] = p.name.split(' ');
        return i % 2 === 0 ? last.slice(0, 3 + (i % 3)) : `${first.slice(0, 2)} ${last.slice(0, 3)}`;
    });
    const nameLatency = [];
    let found = 0;
    for (const q of prefixes) {
        const t = performance.now();
        const res = await haven.server.inject({ url: `/api/v1/people?name=${encodeURIComponent(q)}&limit=50`, headers: auth });
        nameLatency.push(performance.now() - t);
        if (res.statusCode !== 200)
            throw new Error(`search failed: ${res.statusCode}`);
        found += res.json().people.length;
    }
    const plainName = [];
    for (const q of prefixes) {
        const t = performance.now();
        const word = q.split(' ').at(-1).toLowerCase();
        await engine.ownerTransaction((tx) => tx.query(`SELECT id, name FROM bench_plain_people WHERE team_id = $1 AND lower(name) LIKE $2 ORDER BY id LIMIT 50`, [teamId, `%${word}%`]));
        plainName.push(performance.now() - t);
    }
    const n = summary(nameLatency);
    const pn = summary(plainName);
    console.log(`find by name prefix (HTTP, token index + decrypt, 50 per page): p50 ${ms(n.p50)} p95 ${ms(n.p95)} p99 ${ms(n.p99)} (avg ${(found / QUERIES).toFixed(0)} results) · plaintext LIKE p50 ${ms(pn.p50)} p95 ${ms(pn.p95)} · target p95 < 100 ms: ${n.p95 < 100 ? 'MET' : 'MISSED'}`);
    console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    await haven.close();
}
await main();
//# sourceMappingURL=people.bench.js.map