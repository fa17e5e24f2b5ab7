import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { IndexMemo, blindIndex, deriveFieldKey, foldName, namePrefixes } from './blind-index.js';

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
    // Letters Unicode does not decompose, as written without them.
    assert.equal(foldName('Søren Łukasz Đorđe'), 'soren lukasz dorde');
    assert.equal(foldName('İlker IŞIK Işık'), 'ilker isik isik');
    assert.equal(foldName('Straße GROẞ Ælfred Œuvre Þór'), 'strasse gross aelfred oeuvre thor');
    assert.deepEqual(namePrefixes('Ada Lo'), ['ad', 'ada', 'lo']);
    assert.ok(namePrefixes('Bartholomew').includes('bartholomew'));
    assert.ok(!namePrefixes('Bartholomewsson').includes('bartholomewsson'), 'at most 12 characters');
  });
});

describe('the memo of indexes', () => {
  const index = (n: number) => Buffer.from([n & 255]);

  it('finds what it was given by team, field, bits and value, and nothing across them', () => {
    const memo = new IndexMemo(100);
    memo.set('t1', 'f', 64, 'a@x.test', index(1));
    assert.deepEqual(memo.get('t1', 'f', 64, 'a@x.test'), index(1));
    assert.equal(memo.get('t2', 'f', 64, 'a@x.test'), undefined);
    assert.equal(memo.get('t1', 'g', 64, 'a@x.test'), undefined);
    assert.equal(memo.get('t1', 'f', 256, 'a@x.test'), undefined);
  });

  it('stays within its bound, forgetting the oldest entries first', () => {
    const memo = new IndexMemo(50);
    for (let i = 0; i < 500; i++) memo.set('t', i % 2 ? 'odd' : 'even', 64, `v${i}`, index(i));
    assert.ok(memo.countOf('t') <= 50, `holds ${memo.countOf('t')}`);
    assert.ok(memo.holdsValue('t', 'v499') && memo.holdsValue('t', 'v498'), 'the newest are kept');
    assert.equal(memo.holdsValue('t', 'v0'), false, 'the oldest went');
  });

  it('forgets values in every field of one team, and whole teams', () => {
    const memo = new IndexMemo(100);
    for (const team of ['t1', 't2']) for (const field of ['f', 'g']) memo.set(team, field, 64, 'gone', index(1)), memo.set(team, field, 64, 'kept', index(2));
    memo.forgetValues('t1', ['gone']);
    assert.equal(memo.holdsValue('t1', 'gone'), false);
    assert.ok(memo.holdsValue('t1', 'kept') && memo.holdsValue('t2', 'gone'));
    memo.forgetTeam('t2');
    assert.equal(memo.countOf('t2'), 0);
    assert.equal(memo.holdsValue(undefined, 'gone'), false);
    assert.equal(memo.countOf('t1'), 2);
    for (let i = 0; i < 200; i++) memo.set('t3', 'f', 64, `w${i}`, index(i));
    assert.ok(memo.countOf('t1') + memo.countOf('t3') <= 100, 'the count stayed right through forgetting');
  });
});
