import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { envMasterKey } from './env/env-master-key.js';
import { fileMasterKey } from './file/file-master-key.js';
import { MasterKeyError, MissingMasterKeyError } from './provider.js';

describe('master key providers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'haven-mk-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the environment provider takes base64 of exactly 32 bytes', async () => {
    const key = randomBytes(32);
    assert.deepEqual(await envMasterKey(key.toString('base64')).load(), key);
    await assert.rejects(envMasterKey(randomBytes(16).toString('base64')).load(), MasterKeyError);
    await assert.rejects(envMasterKey('not base64 at all').load(), MasterKeyError);
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
