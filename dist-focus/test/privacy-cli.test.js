import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { createHaven } from '../src/app.js';
import { configFromEnv } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';
import { keyClient, signUp } from './support/client.js';
// `haven privacy export|unsuppress` as an operator runs them, against an embedded data directory.
const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'haven-privacy-cli-'));
const masterKey = randomBytes(32).toString('base64');
const env = { ...process.env, DATABASE_URL: '', HAVEN_DATA_DIR: dir, HAVEN_MASTER_KEY: masterKey, HAVEN_ERASURE_LEDGER: join(dir, 'ledger.jsonl') };
const haven = (args) => spawnSync(process.execPath, [main, ...args], { env, encoding: 'utf8', timeout: 60_000 });
describe('haven privacy (CLI)', () => {
    after(() => rmSync(dir, { recursive: true, force: true }));
    it('exports a person to a 0600 file, records the request, and lifts a suppression as an operator', async () => {
        const config = configFromEnv(env);
        const app = await createHaven(config, createLogger({ level: 'silent' }), { jobs: 'manual' });
        let teamId;
        try {
            const a = await signUp(app.server);
            teamId = a.teamId;
            const p = await a.client.post('/api/v1/people', { name: 'Cli Person', emails: ['cli@person.test'] });
            const w = await keyClient(app.server, a.client, 'write');
            await w.client.post('/api/v1/events', { events: Array.from({ length: 40 }, (_, i) => ({ type: 'track', userId: 'cli-1', event: `E${i}` })) });
            await a.client.patch(`/api/v1/people/${p.body.id}`, { externalIds: ['cli-1'] });
            assert.equal((await a.client.post('/api/v1/privacy/objections', { email: 'cli@person.test' })).status, 201);
        }
        finally {
            await app.close();
        }
        const out = join(dir, 'export.json');
        const r = haven(['privacy', 'export', '--team', teamId, '--email', 'CLI@person.test', '--out', out]);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /Exported person .* to /);
        assert.equal(statSync(out).mode & 0o777, 0o600);
        const doc = JSON.parse(readFileSync(out, 'utf8'));
        assert.equal(doc.format, 'haven.person-export');
        assert.deepEqual(doc.person.emails, ['cli@person.test']);
        assert.equal(doc.suppression.find((s) => s.kind === 'email').suppressed, true);
        // Refuses to overwrite; usage errors exit 2 with one line.
        const again = haven(['privacy', 'export', '--team', teamId, '--email', 'cli@person.test', '--out', out]);
        assert.equal(again.status, 2);
        assert.match(again.stderr, /already exists/);
        assert.equal(haven(['privacy', 'export', '--team', teamId, '--email', 'nobody@person.test']).status, 2);
        assert.equal(haven(['privacy', 'export', '--team', 'not-a-uuid', '--email', 'cli@person.test']).status, 2);
        assert.equal(haven(['privacy', 'export', '--team', teamId]).status, 2);
        const zip = join(dir, 'export.zip');
        assert.equal(haven(['privacy', 'export', '--team', teamId, '--email', 'cli@person.test', '--format', 'zip', '--out', zip]).status, 0);
        assert.equal(readFileSync(zip).subarray(0, 2).toString('latin1'), 'PK');
        const lift = haven(['privacy', 'unsuppress', '--team', teamId, '--email', 'cli@person.test']);
        assert.equal(lift.status, 0, lift.stderr);
        assert.match(lift.stdout, /lifted/);
        assert.match(haven(['privacy', 'unsuppress', '--team', teamId, '--email', 'cli@person.test']).stdout, /was not suppressed/);
        // The lift is in the erasure ledger after the suppression it removes (one entry: the second
        // call lifted nothing), so a restore does not bring the suppression back; no address in clear.
        const ledger = readFileSync(env.HAVEN_ERASURE_LEDGER, 'utf8');
        const kinds = ledger.trimEnd().split('\n').map((l) => JSON.parse(l)).filter((e) => e.teamId === teamId && e.identityKind === 'email');
        assert.deepEqual(kinds.map((e) => e.kind), ['suppression', 'suppression_lifted']);
        assert.equal(kinds[0].identity, kinds[1].identity);
        assert.ok(!ledger.includes('cli@person.test') && !ledger.includes('cli-1'));
        const check = await createHaven(config, createLogger({ level: 'silent' }), { jobs: 'manual' });
        try {
            const rows = await check.engine.ownerTransaction((tx) => tx.query(`SELECT kind, status, requested_by_type FROM privacy_requests WHERE team_id = $1 AND kind = 'export'`, [teamId]));
            assert.equal(rows.rows.length, 2);
            assert.ok(rows.rows.every((x) => x.status === 'downloaded' && x.requested_by_type === 'operator'));
        }
        finally {
            await check.close();
        }
    });
});
//# sourceMappingURL=privacy-cli.test.js.map