import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutText } from './text.js';

describe('cutText', () => {
  it('keeps text within the limit whole, and cuts longer text to it', () => {
    assert.equal(cutText('abc', 3), 'abc');
    assert.equal(cutText('abcd', 3), 'abc');
  });

  it('never keeps half of a surrogate pair', () => {
    assert.equal(cutText('ab😀c', 3), 'ab');
    assert.equal(cutText('a😀c', 3), 'a😀');
  });
});
