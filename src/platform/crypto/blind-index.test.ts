import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { blindIndex, deriveFieldKey, foldName, namePrefixes } from './blind-index.js';

describe('blind indexes', () => {
  const root = randomBytes(32);

  it('are truncated to the planned number of bits', () => {
    const key = deriveFieldKey(root, 'team', 'email');
    const idx = blindIndex(key, 'ada@example.com', 15);
    assert.equal(idx.length, 2);
    assert.equal(idx[1]! & 0b1, 0, 'the 16th bit is cleared');
    assert.deepEqual(blindIndex(key, 'ada@example.com', 15), idx, 'deterministic');
  });

  it('differ per team and per field', () => {
    const v = 'ada@example.com';
    const a = blindIndex(deriveFieldKey(root, 'team-a', 'email'), v, 32);
    assert.notDeepEqual(blindIndex(deriveFieldKey(root, 'team-b', 'email'), v, 32), a);
    assert.notDeepEqual(blindIndex(deriveFieldKey(root, 'team-a', 'phone'), v, 32), a);
  });

  it('spread values evenly enough to leave coincidences at the planned population', () => {
    const key = deriveFieldKey(root, 'team', 'email');
    const buckets = new Map<string, number>();
    const population = 100_000;
    for (let i = 0; i < population; i++) {
      const k = blindIndex(key, `person${i}@example.com`, 15).toString('hex');
      buckets.set(k, (buckets.get(k) ?? 0) + 1);
    }
    // 2^15 buckets for 100k values: nearly all used, about 3 values each.
    assert.ok(buckets.size > 30_000, `${buckets.size} buckets used`);
    assert.ok(population / buckets.size >= 2.5);
  });

  it('fold names and cut them into prefix tokens', () => {
    assert.equal(foldName("  Zoë O'Brien-Smith "), 'zoe o brien smith');
    assert.deepEqual(namePrefixes('Ada Lo'), ['ad', 'ada', 'lo']);
    assert.ok(namePrefixes('Bartholomew').includes('bartholomew'));
    assert.ok(!namePrefixes('Bartholomewsson').includes('bartholomewsson'), 'at most 12 characters');
  });
});
