import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
// The CLI as built next to this test (dist/ or HAVEN_TEST_OUT), run as `haven` would be.
const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const env = { ...process.env, DATABASE_URL: '', HAVEN_HOST: '', HAVEN_PORT: '', HAVEN_DATA_DIR: '', HAVEN_TLS_CERT: '', HAVEN_TLS_KEY: '' };
function haven(args, extraEnv = {}) {
    return spawnSync(process.execPath, [main, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
}
/** Start `haven start`, resolve with the URL and the ready time it reports. */
function start(args, extraEnv = {}) {
    const child = spawn(process.execPath, [main, 'start', ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`haven start did not become ready:\n${out}`)), 60_000);
        const onData = (d) => {
            out += d;
            const m = /Haven is ready at (\S+) \((\d+) ms/.exec(out);
            if (m) {
                clearTimeout(timer);
                resolve({ child, url: m[1], readyMs: Number(m[2]), output: () => out });
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`haven start exited with ${code}:\n${out}`));
        });
    });
}
function stop(child) {
    return new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', (code) => resolve(code));
        child.kill('SIGTERM');
    });
}
describe('haven CLI', () => {
    const dirs = [];
    const tempDir = () => {
        const d = mkdtempSync(join(tmpdir(), 'haven-cli-'));
        dirs.push(d);
        return d;
    };
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
    it('--help lists the commands, and each command has --help', () => {
        const help = haven(['--help']);
        assert.equal(help.status, 0);
        assert.match(help.stdout, /start/);
        assert.match(help.stdout, /migrate/);
        const startHelp = haven(['start', '--help']);
        assert.equal(startHelp.status, 0);
        for (const flag of ['--host', '--port', '--data', '--behind-proxy'])
            assert.match(startHelp.stdout, new RegExp(flag));
        assert.match(haven(['migrate', '--help']).stdout, /--dry-run/);
    });
    it('refuses a bad flag with a message, not a stack trace', () => {
        const bad = haven(['start', '--port', 'eighty']);
        assert.notEqual(bad.status, 0);
        assert.match(bad.stderr, /port/);
        assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/);
    });
    it('a setting it cannot use, a TLS file it cannot read or a port in use: one line naming it, exit 2', async () => {
        const data = tempDir();
        const cases = [
            [{ HAVEN_PORT: 'abc' }, /^haven: HAVEN_PORT must be a positive number\.$/],
            [{ HAVEN_PORT: '70000' }, /^haven: HAVEN_PORT must be a port number/],
            [{ HAVEN_LOG_LEVEL: 'verbose' }, /^haven: HAVEN_LOG_LEVEL must be one of .*info/],
            [{ HAVEN_RATE_LIMIT_PER_MINUTE: '-5' }, /^haven: HAVEN_RATE_LIMIT_PER_MINUTE must be a positive number\.$/],
            [{ HAVEN_TRUSTED_PROXIES: 'foo' }, /^haven: HAVEN_TRUSTED_PROXIES: "foo" is not an IP address/],
            [{ HAVEN_TLS_CERT: join(data, 'nope.pem'), HAVEN_TLS_KEY: join(data, 'nope.key') }, /^haven: HAVEN_TLS_CERT: cannot read .*nope\.pem \(ENOENT\)\.$/],
        ];
        for (const [env, says] of cases) {
            const r = haven(['start', '--data', data], env);
            assert.equal(r.status, 2, `${JSON.stringify(env)}: ${r.stderr}`);
            assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
            assert.match(r.stderr.trim(), says);
        }
        const taken = createServer().listen(0, '127.0.0.1');
        await new Promise((resolve) => taken.once('listening', resolve));
        try {
            const port = taken.address().port;
            const r = haven(['start', '--port', String(port), '--data', data]);
            assert.equal(r.status, 2, r.stderr);
            assert.match(r.stderr.trim(), new RegExp(`^haven: port ${port} on 127\\.0\\.0\\.1 is in use \\(another Haven\\?\\): choose another with --port\\.$`));
        }
        finally {
            taken.close();
        }
    });
    it('a malformed DATABASE_URL or an unreachable PostgreSQL: one line on stderr, no password, no stack, exit 2', async () => {
        // A port nothing listens on: taken, then given back.
        const port = await new Promise((resolve) => {
            const s = createServer().listen(0, '127.0.0.1', () => {
                const p = s.address().port;
                s.close(() => resolve(p));
            });
        });
        const password = 'Pa55-w0rd-never-shown';
        const cases = [
            { url: `postgres://alice:${password}@127.0.0.1:${port}/haven`, says: new RegExp(`^haven: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port} \\(database haven, user alice\\): .*ECONNREFUSED`) },
            { url: `postgres://alice:${password}@127.0.0.1:99999/haven`, says: /^haven: DATABASE_URL is not a valid PostgreSQL URL/ },
            { url: `mysql://alice:${password}@127.0.0.1/haven`, says: /^haven: DATABASE_URL is not a valid PostgreSQL URL/ },
            { url: `alice:${password} at localhost`, says: /^haven: DATABASE_URL is not a valid PostgreSQL URL/ },
        ];
        const dataDir = mkdtempSync(join(tmpdir(), 'haven-cli-db-'));
        try {
            for (const { url, says } of cases) {
                for (const args of [['start'], ['migrate'], ['audit', 'verify'], ['backup', '--out', join(dataDir, 'b.tar.gz')]]) {
                    const r = haven(args, { DATABASE_URL: url, HAVEN_DATA_DIR: dataDir, HAVEN_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
                    const what = `${args.join(' ')} with ${url.replace(password, '***')}`;
                    assert.equal(r.status, 2, `${what}: ${r.stderr}`);
                    assert.equal(r.stderr.trim().split('\n').length, 1, `${what}: one line: ${r.stderr}`);
                    assert.match(r.stderr, says, what);
                    assert.ok(!r.stderr.includes(password) && !r.stdout.includes(password), `${what}: no password`);
                }
            }
        }
        finally {
            rmSync(dataDir, { recursive: true, force: true });
        }
    });
    it('I5: refuses to listen on a non-loopback address without TLS and says why', () => {
        const res = haven(['start', '--host', '0.0.0.0', '--port', '0', '--data', tempDir()]);
        assert.equal(res.status, 2);
        assert.match(res.stderr, /without TLS/);
        assert.match(res.stderr, /HAVEN_TLS_CERT/);
        assert.match(res.stderr, /--behind-proxy/);
    });
    it('migrate applies the schema once; start prints the URL and how to create the first account', async () => {
        const data = tempDir();
        const first = haven(['migrate', '--data', data]);
        assert.equal(first.status, 0, first.stderr);
        assert.match(first.stdout, /Applied:[\s\S]*accounts\/0001_accounts/);
        assert.match(haven(['migrate', '--data', data]).stdout, /up to date/);
        assert.match(haven(['migrate', '--data', data, '--dry-run']).stdout, /up to date/);
        const run = await start(['--port', '0', '--data', data]);
        try {
            assert.match(run.url, /^http:\/\/127\.0\.0\.1:\d+$/);
            assert.match(run.output(), /sign-up/);
            assert.match(run.output(), /encrypted under .*master\.key: keep a copy apart from your backups/);
            const health = await fetch(`${run.url}/healthz`);
            assert.equal(health.status, 200);
            const signUp = await fetch(`${run.url}/api/v1/auth/sign-up`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ email: 'cli@example.test', password: 'a long password', teamName: 'CLI' }),
            });
            assert.equal(signUp.status, 201);
            console.log(`haven start on an existing data directory: ready in ${run.readyMs} ms`);
        }
        finally {
            assert.equal(await stop(run.child), 0, 'SIGTERM shuts down cleanly');
        }
        // The account survives a restart: data is on disk.
        const again = await start(['--port', '0', '--data', data]);
        try {
            assert.doesNotMatch(again.output(), /sign-up|master\.key/, 'no first-account hints once there is an account');
            const signIn = await fetch(`${again.url}/api/v1/auth/sign-in`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ email: 'cli@example.test', password: 'a long password' }),
            });
            assert.equal(signIn.status, 200);
        }
        finally {
            await stop(again.child);
        }
    });
    it('I5: serves HTTPS with HAVEN_TLS_CERT/HAVEN_TLS_KEY on a non-loopback address', async () => {
        const dir = tempDir();
        const cert = join(dir, 'cert.pem');
        const key = join(dir, 'key.pem');
        const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], {
            encoding: 'utf8',
        });
        assert.equal(made.status, 0, made.stderr);
        const run = await start(['--host', '0.0.0.0', '--port', '0', '--data', join(dir, 'data')], { HAVEN_TLS_CERT: cert, HAVEN_TLS_KEY: key });
        try {
            assert.match(run.url, /^https:\/\//);
            const port = new URL(run.url).port;
            const body = await new Promise((resolve, reject) => {
                const req = httpsGet({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false }, (res) => {
                    let text = '';
                    res.on('data', (d) => (text += d));
                    res.on('end', () => resolve(text));
                });
                req.on('error', reject);
            });
            assert.deepEqual(JSON.parse(body), { status: 'ok' });
        }
        finally {
            await stop(run.child);
        }
    });
    it('starts behind a proxy on a non-loopback address when told so', async () => {
        const run = await start(['--host', '0.0.0.0', '--port', '0', '--behind-proxy', '--data', tempDir()]);
        await stop(run.child);
        assert.match(run.url, /^http:\/\/[\d.]+:\d+$/, 'listening (Fastify reports one of the addresses)');
    });
});
//# sourceMappingURL=cli.test.js.map