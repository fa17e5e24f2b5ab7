import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { envMasterKey } from './env/env-master-key.js';
import { fileMasterKey } from './file/file-master-key.js';
import { MasterKeyError, MissingMasterKeyError, decodeMasterKey } from './provider.js';
describe('master key providers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'haven-mk-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    it('the environment provider takes base64 of exactly 32 bytes', async () => {
        const key = randomBytes(32);
        assert.deepEqual(await envMasterKey(key.toString('base64')).load(), key);
        await assert.rejects(envMasterKey(randomBytes(16).toString('base64')).load(), MasterKeyError);
        await assert.rejects(envMasterKey('not base64 at all').load(), MasterKeyError);
    });
    it('decoding is strict: stray characters or the wrong length are refused, and the message never holds the value', () => {
        const key = randomBytes(32);
        const text = key.toString('base64');
        assert.deepEqual(decodeMasterKey(`  ${text}\n`, 'K'), key, 'surrounding whitespace (a key file newline) is fine');
        assert.deepEqual(decodeMasterKey(text.replace(/=$/, ''), 'K'), key, 'padding is optional');
        const refused = (value, why) => assert.throws(() => decodeMasterKey(value, 'K'), (e) => {
            assert.ok(e instanceof MasterKeyError);
            assert.match(e.message, why);
            assert.ok(!e.message.includes(text.slice(0, 8)), 'no part of the key in the message');
            return true;
        });
        refused(`${text.slice(0, 20)}!${text.slice(20)}`, /not base64/);
        refused(`"${text}"`, /not base64/);
        refused(`${text.slice(0, 20)} ${text.slice(20)}`, /not base64/);
        refused(`${text.slice(0, 22)}-${text.slice(23)}`, /not base64/);
        refused(`${text}${text}`, /not base64/);
        refused(`${text.slice(0, 43)}A${text.slice(0, 43)}`, /decodes to 65 bytes/);
        refused(randomBytes(31).toString('base64'), /decodes to 31 bytes/);
        refused(randomBytes(33).toString('base64'), /decodes to 33 bytes/);
        refused('', /decodes to 0 bytes/);
        // 43 characters carry 258 bits: a last character with its 2 spare bits set is not the key's encoding.
        const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        const spare = last[last.indexOf(text[42]) | 1];
        refused(`${text.slice(0, 42)}${spare}=`, /not a canonical/);
    });
    it('the file provider creates a 0600 key when asked (first run) and reads the same key after', async () => {
        const path = join(dir, 'data', 'master.key');
        await assert.rejects(fileMasterKey(path).load(), MissingMasterKeyError, 'not made unless asked');
        assert.equal(existsSync(path), false);
        const first = await fileMasterKey(path).load({ create: true });
        assert.equal(statSync(path).mode & 0o777, 0o600);
        assert.deepEqual(await fileMasterKey(path).load(), first);
        assert.equal(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').length, 32);
    });
    it('refuses a key file other users can read', async () => {
        const path = join(dir, 'loose.key');
        await fileMasterKey(path).load({ create: true });
        chmodSync(path, 0o644);
        await assert.rejects(fileMasterKey(path).load(), /chmod 600/);
    });
});
//# sourceMappingURL=master-key.test.js.map