import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.js';
const dirs = [];
const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'haven-lock-'));
    dirs.push(dir);
    return dir;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
/** A pid no process has: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;
describe('the data directory lock', () => {
    it('holds this pid, refuses a second holder while a live process has it, and is gone once released', () => {
        const dir = freshDir();
        const release = lockDataDir(dir);
        assert.equal(readFileSync(join(dir, 'haven.lock'), 'utf8'), String(process.pid));
        assert.deepEqual(readdirSync(dir), ['haven.lock'], 'no temporary file is left');
        release();
        assert.ok(!existsSync(join(dir, 'haven.lock')));
        // A live process other than this one (the parent of this test process).
        writeFileSync(join(dir, 'haven.lock'), String(process.ppid));
        assert.throws(() => lockDataDir(dir), DataDirInUseError);
        assert.equal(readFileSync(join(dir, 'haven.lock'), 'utf8'), String(process.ppid), 'the holder keeps it');
    });
    it("takes over a lock whose process is gone, or one that names none (an older build's crash)", () => {
        for (const stale of [String(deadPid()), '', 'garbage']) {
            const dir = freshDir();
            writeFileSync(join(dir, 'haven.lock'), stale);
            const release = lockDataDir(dir);
            assert.equal(readFileSync(join(dir, 'haven.lock'), 'utf8'), String(process.pid), JSON.stringify(stale));
            release();
        }
    });
    it('of several processes racing for a stale lock, exactly one gets it', async () => {
        const dir = freshDir();
        writeFileSync(join(dir, 'haven.lock'), String(deadPid()));
        const lockModule = fileURLToPath(new URL('./data-dir-lock.js', import.meta.url));
        // Each child tries at once, holds the lock a moment if it got it, and says which it was.
        const script = `
      const { lockDataDir } = await import(${JSON.stringify(lockModule)});
      try { const release = lockDataDir(${JSON.stringify(dir)}); console.log('got'); await new Promise((r) => setTimeout(r, 1500)); release(); }
      catch (error) { console.log(error.name); }`;
        const outcomes = await Promise.all(Array.from({ length: 6 }, () => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
            let out = '';
            child.stdout.on('data', (d) => (out += d));
            return new Promise((resolve) => child.on('close', () => resolve(out.trim())));
        }));
        assert.equal(outcomes.filter((o) => o === 'got').length, 1, outcomes.join(', '));
        assert.equal(outcomes.filter((o) => o === 'DataDirInUseError').length, 5, outcomes.join(', '));
        assert.deepEqual(readdirSync(dir), [], 'released, and no temporary file is left');
    });
});
//# sourceMappingURL=data-dir-lock.test.js.map