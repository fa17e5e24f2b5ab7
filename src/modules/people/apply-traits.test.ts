import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileText } from './apply-traits.js';

describe('profileText', () => {
  it('keeps up to 200 characters, as sent', () => {
    assert.equal(profileText('Ada Lovelace'), 'Ada Lovelace');
    assert.equal(profileText('n'.repeat(200)), 'n'.repeat(200));
    assert.equal(profileText('n'.repeat(250)), 'n'.repeat(200));
  });

  it('never cuts a character made of two UTF-16 units in half', () => {
    const cut = profileText(`${'n'.repeat(199)}😀x`);
    assert.equal(cut, 'n'.repeat(199));
    assert.equal(profileText(`${'n'.repeat(198)}😀x`), `${'n'.repeat(198)}😀`);
    assert.ok(cut.isWellFormed());
  });
});
