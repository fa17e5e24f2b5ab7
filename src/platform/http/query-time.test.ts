import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queryTime } from './query-time.js';

describe('queryTime', () => {
  it('reads any InputTime as UTC with six fractional digits', () => {
    assert.equal(queryTime('2026-12-01T10:00:00Z').text, '2026-12-01T10:00:00.000000Z');
    assert.equal(queryTime('2026-12-01 11:30:00.5+01:30').text, '2026-12-01T10:00:00.500000Z');
    assert.equal(queryTime('2026-12-01t10:00:00.123456z').text, '2026-12-01T10:00:00.123456Z');
    assert.equal(queryTime('1000-01-01T00:00:00-15:59').text, '1000-01-01T15:59:00.000000Z');
    assert.equal(queryTime('9999-12-31T23:59:59.999999Z').micros, 253402300799999999n);
  });

  it('rounds a finer time up to the next microsecond, carrying into the seconds', () => {
    assert.equal(queryTime('2026-12-01T10:00:00.0000004Z').text, '2026-12-01T10:00:00.000001Z');
    assert.equal(queryTime('2026-12-01T10:00:00.000000001Z').text, '2026-12-01T10:00:00.000001Z');
    assert.equal(queryTime('2026-12-01T10:00:00.000001000Z').text, '2026-12-01T10:00:00.000001Z');
    assert.equal(queryTime('2026-12-31T23:59:59.9999991Z').text, '2027-01-01T00:00:00.000000Z');
  });

  it('keeps the fraction of a time before 1970 after its whole second', () => {
    assert.equal(queryTime('1969-12-31T23:59:59.5Z').text, '1969-12-31T23:59:59.500000Z');
    assert.equal(queryTime('1969-12-31T23:59:59.5Z').micros, -500_000n);
    assert.equal(queryTime('1000-01-01T00:00:00.000001Z').text, '1000-01-01T00:00:00.000001Z');
    assert.equal(queryTime('1000-01-01T00:00:00.25+15:59').text, '0999-12-31T08:01:00.250000Z');
  });

  it('writes a time rounded up past year 9999 as PostgreSQL reads it', () => {
    assert.equal(queryTime('9999-12-31T23:59:59.9999999Z').text, '10000-01-01T00:00:00.000000Z');
  });

  it('orders times apart by a microsecond', () => {
    assert.ok(queryTime('2026-12-07T00:00:00.000001Z').micros > queryTime('2026-12-07T00:00:00Z').micros);
  });
});
