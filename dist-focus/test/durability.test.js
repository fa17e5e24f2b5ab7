import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createHaven } from '../src/app.js';
import { configFromEnv } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';
import { ENGINES, freshEngine } from './support/haven.js';
const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
function startHaven(env) {
    const child = spawn(process.execPath, [cli, 'start', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready:\n${out}`)), 60_000);
        const onData = (d) => {
            out += d;
            const m = /Haven is ready at (\S+) /.exec(out);
            if (m) {
                clearTimeout(timer);
                resolve({ child, url: m[1] });
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
    });
}
describe('durability: an acknowledged event survives a crash (SIGKILL mid-load)', () => {
    for (const kind of ENGINES) {
        it(`[${kind}] every event acknowledged before the kill is stored after restart`, async () => {
            const dataDir = mkdtempSync(join(tmpdir(), 'haven-crash-'));
            const db = kind === 'postgres' ? await freshEngine('postgres') : undefined;
            await db?.engine.close();
            const masterKey = randomBytes(32).toString('base64');
            const env = { ...process.env, HAVEN_DATA_DIR: dataDir, DATABASE_URL: db?.url ?? '', HAVEN_MASTER_KEY: masterKey, HAVEN_RATE_LIMIT_PER_MINUTE: '1000000', HAVEN_LOG_LEVEL: 'warn' };
            try {
                const first = await startHaven(env);
                const post = (path, body, headers = {}) => fetch(`${first.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
                const signUp = await post('/api/v1/auth/sign-up', { email: 'crash@example.test', password: 'a long password', teamName: 'Crash' });
                const session = (await signUp.json());
                const cookie = signUp.headers.get('set-cookie').split(';')[0];
                const key = (await (await post("/api/v1/api-keys", { name: "load", kind: "write" }, { cookie, "x-csrf-token": session.csrfToken })).json());
                // Load: 4 concurrent senders, batches of 20 events, until the kill.
                const acknowledged = [];
                let stop = false;
                let sent = 0;
                const sender = async (n) => {
                    for (let b = 0; !stop; b++) {
                        const ids = Array.from({ length: 20 }, (_, i) => `s${n}-b${b}-e${i}-${randomBytes(4).toString('hex')}`);
                        sent += ids.length;
                        try {
                            const res = await post('/api/v1/events', { events: ids.map((messageId, i) => ({ type: 'track', event: 'Load', anonymousId: `visitor-${n}-${i % 5}`, messageId, properties: { b } })) }, { authorization: `Bearer ${key.token}` });
                            if (res.status === 200) {
                                const body = (await res.json());
                                for (const r of body.results)
                                    if (r.status === 'accepted')
                                        acknowledged.push(ids[r.index]);
                            }
                        }
                        catch {
                            return; // the connection died with the server: this batch was never acknowledged
                        }
                    }
                };
                const load = Promise.all([0, 1, 2, 3].map(sender));
                await new Promise((r) => setTimeout(r, 2_500));
                const exited = new Promise((r) => first.child.once('exit', r));
                first.child.kill('SIGKILL');
                stop = true;
                await Promise.all([load, exited]);
                assert.ok(acknowledged.length >= 100, `the load ran (${acknowledged.length} acknowledged of ${sent} sent)`);
                // Restart on the same data (the dead process's lock is taken over, the database recovers).
                const config = { ...configFromEnv({}), dataDir, databaseUrl: db?.url, masterKey };
                const haven = await createHaven(config, createLogger({ level: 'silent' }));
                try {
                    const stored = await haven.engine.ownerTransaction(async (tx) => {
                        const hashes = acknowledged.map((id) => createHash('sha256').update(id).digest());
                        const r = await tx.query(`SELECT count(*) AS n FROM events WHERE message_hash = ANY($1::bytea[])`, [hashes]);
                        return Number(r.rows[0].n);
                    });
                    assert.equal(stored, acknowledged.length, `${acknowledged.length - stored} acknowledged events lost`);
                    console.log(`[${kind}] ${acknowledged.length} events acknowledged before SIGKILL (${sent} sent), all ${stored} present after restart`);
                }
                finally {
                    await haven.close();
                }
            }
            finally {
                rmSync(dataDir, { recursive: true, force: true });
                await db?.drop();
            }
        });
    }
});
//# sourceMappingURL=durability.test.js.map