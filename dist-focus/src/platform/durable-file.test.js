import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { renameDurably, writeFileDurably } from './durable-file.js';
describe('durable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'haven-durable-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    /** Count fsyncs (FileHandle.sync) made while `fn` runs: the file's and its directory's. */
    async function syncsDuring(fn) {
        const probe = await open(join(dir, 'probe'), 'w');
        const proto = Object.getPrototypeOf(probe);
        await probe.close();
        const original = proto.sync;
        let n = 0;
        proto.sync = function () {
            n++;
            return original.call(this);
        };
        try {
            await fn();
        }
        finally {
            proto.sync = original;
        }
        return n;
    }
    it('writes the data with its mode and syncs the file and then its directory', async () => {
        const path = join(dir, 'key');
        assert.equal(await syncsDuring(() => writeFileDurably(path, 'secret\n', { mode: 0o600, flag: 'wx' })), 2);
        assert.equal(readFileSync(path, 'utf8'), 'secret\n');
        assert.equal(statSync(path).mode & 0o777, 0o600);
        await assert.rejects(writeFileDurably(path, 'other\n', { mode: 0o600, flag: 'wx' }), { code: 'EEXIST' });
        assert.equal(readFileSync(path, 'utf8'), 'secret\n', "'wx' never overwrites");
    });
    it('renames and syncs the directory', async () => {
        writeFileSync(join(dir, 'a.new'), 'a');
        assert.equal(await syncsDuring(() => renameDurably(join(dir, 'a.new'), join(dir, 'a'))), 1);
        assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'a');
    });
});
//# sourceMappingURL=durable-file.test.js.map