import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from './engine.js';
import { openPGlite } from './pglite-engine.js';

/** Every byte value, and the edge cases of the text forms (backslash, quote, comma, brace, NUL). */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const TRICKY = Buffer.from('\\"{},\0x', 'latin1');

describe('PGlite engine: bytea parameters', () => {
  let engine: Engine;
  before(async () => {
    engine = await openPGlite(undefined);
  });
  after(() => engine.close());

  it('a lone bytea parameter reaches the server as exactly its bytes, and comes back so', async () => {
    const r = await engine.ownerTransaction((tx) =>
      tx.query<{ n: number; hex: string; back: Buffer }>(`SELECT length($1::bytea) AS n, encode($1::bytea, 'hex') AS hex, $1::bytea AS back`, [ALL_BYTES]),
    );
    assert.equal(r.rows[0]!.n, 256);
    assert.equal(r.rows[0]!.hex, ALL_BYTES.toString('hex'));
    assert.deepEqual(r.rows[0]!.back, ALL_BYTES);
  });

  it('accepts a Uint8Array that is a view into a larger buffer (only the view is sent)', async () => {
    const view = new Uint8Array(ALL_BYTES.buffer, ALL_BYTES.byteOffset + 10, 5);
    const r = await engine.ownerTransaction((tx) => tx.query<{ hex: string }>(`SELECT encode($1::bytea, 'hex') AS hex`, [view]));
    assert.equal(r.rows[0]!.hex, '0a0b0c0d0e');
  });

  it('sends a bytea[] as text, elements and NULLs intact', async () => {
    const values = [ALL_BYTES, TRICKY, null, Buffer.alloc(0)];
    const r = await engine.ownerTransaction((tx) =>
      tx.query<{ i: number; hex: string | null }>(`SELECT i::int, encode(v, 'hex') AS hex FROM unnest($1::bytea[]) WITH ORDINALITY AS x(v, i) ORDER BY i`, [values]),
    );
    assert.deepEqual(
      r.rows.map((row) => row.hex),
      [ALL_BYTES.toString('hex'), TRICKY.toString('hex'), null, ''],
    );
  });

  it('leaves other arrays and text alone', async () => {
    const r = await engine.ownerTransaction((tx) =>
      tx.query<{ a: string[]; t: string }>(`SELECT $1::text[] AS a, $2::text AS t`, [['a,b', '"q"', '\\'], 'plain']),
    );
    assert.deepEqual(r.rows[0]!.a, ['a,b', '"q"', '\\']);
    assert.equal(r.rows[0]!.t, 'plain');
  });
});

describe('PGlite engine: session settings', () => {
  it('new WAL segments are not zero-filled, also after transactions that set their own settings', async () => {
    const engine = await openPGlite(undefined);
    try {
      await engine.ownerTransaction(async (tx) => {
        await tx.query(`SELECT set_config('work_mem', '8MB', true)`);
      });
      const r = await engine.ownerTransaction((tx) => tx.query<{ wal_init_zero: string }>(`SHOW wal_init_zero`));
      assert.equal(r.rows[0]!.wal_init_zero, 'off');
    } finally {
      await engine.close();
    }
  });
});

describe('PGlite engine: a long transaction lets the event loop turn', () => {
  it('timers run between the statements of a transaction that takes a while', async () => {
    const engine = await openPGlite(undefined);
    try {
      let timerRan = false;
      const ranDuring = await engine.ownerTransaction(async (tx) => {
        setTimeout(() => (timerRan = true), 0);
        // Statements that keep this thread busy, with no I/O between them, well past the turn interval.
        const started = performance.now();
        while (performance.now() - started < 200 && !timerRan) await tx.query(`SELECT count(*) FROM generate_series(1, 50000)`);
        return timerRan;
      });
      assert.equal(ranDuring, true, 'a timer due at once waited for the whole transaction');
    } finally {
      await engine.close();
    }
  });
});
