import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HavenError } from '../../platform/http/errors.js';
import { EVENT_LIMITS, type IncomingEvent, checkEvent, clearNameOf, earliestEventTime, payloadOf } from './event.js';

const RECEIVED = new Date('2026-06-15T12:00:00.000Z');
const at = (timestamp: unknown) => ({ type: 'track', anonymousId: 'a', name: 'E', timestamp }) as IncomingEvent;
/** The time checkEvent records for `timestamp`, or the code it refuses it with. */
function timeOf(timestamp: unknown): string {
  try {
    return checkEvent(at(timestamp), RECEIVED).occurredAt.toISOString();
  } catch (error) {
    if (!(error instanceof HavenError)) throw error;
    return error.code;
  }
}
/** An RFC 3339 date-time (with a zone) as any client may write it. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

describe('event timestamps: RFC 3339 with a zone, real calendar dates', () => {
  it('reads what the official clients send (JavaScript toISOString, Python isoformat, Go RFC3339Nano, Ruby iso8601)', () => {
    assert.equal(timeOf('2026-06-14T08:30:00.123Z'), '2026-06-14T08:30:00.123Z'); // analytics-node, posthog-node, posthog-js
    assert.equal(timeOf('2026-06-14T08:30:00.123456+00:00'), '2026-06-14T08:30:00.123Z'); // analytics-python, posthog-python
    assert.equal(timeOf('2026-06-14T08:30:00.123456789Z'), '2026-06-14T08:30:00.123Z'); // Go
    assert.equal(timeOf('2026-06-14T10:30:00.123+02:00'), '2026-06-14T08:30:00.123Z'); // Ruby, PHP 'c', Java OffsetDateTime
    assert.equal(timeOf('2026-06-14T08:30:00Z'), '2026-06-14T08:30:00.000Z');
    assert.equal(timeOf('2026-06-14t08:30:00z'), '2026-06-14T08:30:00.000Z', 'RFC 3339 letters are case-insensitive');
    assert.equal(timeOf('2026-06-14 08:30:00+00:00'), '2026-06-14T08:30:00.000Z', 'RFC 3339 allows a space');
    assert.equal(timeOf('2026-06-14T03:00:00-05:30'), '2026-06-14T08:30:00.000Z');
    assert.equal(timeOf('2024-02-29T00:00:00Z'), '2024-02-29T00:00:00.000Z', 'a leap day');
  });

  it('refuses free-form text, impossible dates, zone-less and partial times as invalid_timestamp', () => {
    for (const bad of [
      'foo 2024',
      'March 7',
      'yesterday',
      '2024',
      '2026-06-14',
      '2026-06-14T08:30:00', // no zone: the sender's local time is unknown
      '2026-06-14T08:30Z', // no seconds
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z', // not a leap year
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-06-00T00:00:00Z',
      '2026-06-14T24:00:00Z',
      '2026-06-14T08:60:00Z',
      '2026-06-14T08:30:60Z', // leap second: no clock in JavaScript or PostgreSQL keeps it
      '2026-06-14T08:30:00+16:00',
      '2026-06-14T08:30:00+0200',
      '2026-06-14T08:30:00.Z',
      '2026-06-14T08:30:00.1234567890Z',
      ' 2026-06-14T08:30:00Z',
      '2026-06-14T08:30:00Z ',
      '+02026-06-14T08:30:00Z',
      '٢٠٢٦-06-14T08:30:00Z', // other digits than ASCII
      '',
      1_781_000_000_000,
      null,
      { iso: '2026-06-14T08:30:00Z' },
    ]) {
      assert.equal(timeOf(bad), 'invalid_timestamp', JSON.stringify(bad));
    }
  });

  it('keeps the clamp and the refusal: more than 5 minutes ahead is dated at arrival, more than 5 years old is refused', () => {
    assert.equal(timeOf('2026-06-15T12:04:00Z'), '2026-06-15T12:04:00.000Z');
    assert.equal(timeOf('2026-06-15T12:06:00Z'), RECEIVED.toISOString());
    assert.equal(timeOf('9999-12-31T23:59:59Z'), RECEIVED.toISOString());
    assert.equal(timeOf('2021-06-16T12:00:00Z'), '2021-06-16T12:00:00.000Z');
    assert.equal(timeOf('2021-06-14T12:00:00Z'), 'timestamp_out_of_range');
    // Five calendar years, leap days counted: 2021-06-15 12:00 is the earliest taken.
    assert.equal(timeOf('2021-06-15T12:00:00Z'), '2021-06-15T12:00:00.000Z');
    assert.equal(timeOf('2021-06-15T11:59:59.999Z'), 'timestamp_out_of_range');
    assert.equal(timeOf('1999-01-01T00:00:00Z'), 'timestamp_out_of_range');
    assert.equal(timeOf('0001-01-01T00:00:00Z'), 'invalid_timestamp', 'years 1000–9999, as query times');
  });

  it('property: every instant in range, written with any offset, reads back as that instant', () => {
    const min = earliestEventTime(RECEIVED) + 60_000;
    const max = RECEIVED.getTime() + EVENT_LIMITS.maxFutureMs;
    fc.assert(
      fc.property(fc.integer({ min, max }), fc.integer({ min: -(15 * 60 + 59), max: 15 * 60 + 59 }), fc.boolean(), (ms, offsetMinutes, fraction) => {
        const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, fraction ? 23 : 19);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const abs = Math.abs(offsetMinutes);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        const expected = fraction ? ms : ms - (ms % 1000);
        assert.equal(timeOf(`${local}${zone}`), new Date(expected).toISOString());
        assert.equal(timeOf(new Date(ms).toISOString()), new Date(ms).toISOString());
      }),
      { numRuns: 500 },
    );
  });

  it('property: random text is refused with a HavenError unless it is an RFC 3339 date-time, and then it is that date', () => {
    const near = fc.stringMatching(/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2})?(\.\d{0,10})?([Zz]|[+-]\d{2}(:?\d{2})?)?$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), near), (text) => {
        const result = timeOf(text);
        if (result === 'invalid_timestamp' || result === 'timestamp_out_of_range') return;
        assert.match(text, RFC3339, `accepted ${JSON.stringify(text)}`);
        const [y, mo, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
        const date = new Date(Date.UTC(y, mo - 1, d));
        assert.deepEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()], [y, mo, d], `a real date: ${text}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('event shape checks', () => {
  const check = (e: Record<string, unknown>) => {
    try {
      checkEvent({ anonymousId: 'a', ...e } as unknown as IncomingEvent, RECEIVED);
      return 'ok';
    } catch (error) {
      if (!(error instanceof HavenError)) throw error;
      return `${error.code}${error.field ? `@${error.field}` : ''}`;
    }
  };

  it('text PostgreSQL cannot store (NUL, lone surrogates) is invalid_text, with where it is; a key holding it is not echoed', () => {
    for (const bad of ['a\u0000', '\ud800', 'x\udfffy']) {
      assert.equal(check({ type: 'track', name: bad }), 'invalid_text@event');
      assert.equal(check({ type: 'page', name: bad }), 'invalid_text@name');
      assert.equal(check({ type: 'track', name: 'E', userId: bad }), 'invalid_text@userId');
      assert.equal(check({ type: 'alias', userId: 'u', anonymousId: bad }), 'invalid_text@previousId');
      assert.equal(check({ type: 'track', name: 'E', properties: { a: [{ b: bad }] } }), 'invalid_text@properties.a.0.b');
      assert.equal(check({ type: 'track', name: 'E', context: { [bad]: 1 } }), 'invalid_text@context.[redacted]');
      assert.equal(check({ type: 'track', name: 'E', timestamp: `2026-03-07T10:00:00Z${bad}` }), 'invalid_text@timestamp');
    }
    assert.equal(check({ type: 'track', name: 'E', properties: { emoji: '\ud83d\ude00' } }), 'ok', 'a surrogate pair is a character');
  });

  it('numbers JSON cannot carry (1e400 parses as Infinity) are invalid_number, with where they are', () => {
    assert.equal(check({ type: 'track', name: 'E', properties: { c: Infinity } }), 'invalid_number@properties.c');
    assert.equal(check({ type: 'track', name: 'E', properties: { a: { b: [1, -Infinity] } } }), 'invalid_number@properties.a.b.1');
    assert.equal(check({ type: 'identify', traits: { score: Infinity } }), 'invalid_number@traits.score');
    assert.equal(check({ type: 'identify', traitsOnce: { score: NaN } }), 'invalid_number@traitsOnce.score');
    assert.equal(check({ type: 'page', context: { [`card 4111 1111 1111 1111`]: Infinity } }), 'invalid_number@context.[redacted]');
    assert.equal(check({ type: 'track', name: 'E', properties: { big: 1e308, small: -5e-324 } }), 'ok');
  });

  it('names: a track call needs a non-blank name; names are text of at most 200 characters', () => {
    assert.equal(check({ type: 'track', name: '   ' }), 'missing_field@event');
    assert.equal(check({ type: 'track', name: '' }), 'missing_field@event');
    assert.equal(check({ type: 'track' }), 'missing_field@event');
    assert.equal(check({ type: 'track', name: 7 }), 'invalid_type@event');
    assert.equal(check({ type: 'page', name: 12 }), 'invalid_type@name');
    assert.equal(check({ type: 'screen', name: 'n'.repeat(201) }), 'too_long@name');
    assert.equal(check({ type: 'track', name: 'n'.repeat(200) }), 'ok');
  });

  it('ids: text, not blank, at most 200 characters; an alias needs a userId and a previous id', () => {
    assert.equal(check({ type: 'track', name: 'E', userId: 7 }), 'invalid_type@userId');
    assert.equal(check({ type: 'track', name: 'E', anonymousId: '' }), 'invalid_identity@anonymousId');
    assert.equal(check({ type: 'track', name: 'E', anonymousId: '  ' }), 'invalid_identity@anonymousId');
    assert.equal(check({ type: 'track', name: 'E', anonymousId: 'x'.repeat(201) }), 'invalid_identity@anonymousId');
    assert.equal(check({ type: 'track', name: 'E', messageId: {} }), 'invalid_type@messageId');
    assert.equal(check({ type: 'alias', userId: 'u', anonymousId: undefined }), 'missing_field@previousId');
    assert.equal(check({ type: 'alias', anonymousId: 'p' }), 'missing_field@userId');
    assert.equal(check({ type: 'alias', userId: 'u', anonymousId: 7 }), 'invalid_type@previousId');
    assert.equal(check({ type: 'alias', userId: 'u', anonymousId: 'p' }), 'ok');
  });
});

describe('what of an event stays clear', () => {
  it("only a track event's name is clear; a page's or screen's name (a title) goes into the sealed payload", () => {
    assert.equal(clearNameOf({ type: 'track', anonymousId: 'a', name: 'Order Placed' }), 'Order Placed');
    for (const type of ['page', 'screen', 'identify', 'group', 'alias'] as const) {
      const e: IncomingEvent = { type, anonymousId: 'a', name: 'Invoice for Ada Lovelace', properties: { url: 'https://x.test/' } };
      assert.equal(clearNameOf(e), null, type);
      assert.deepEqual(payloadOf(e), { name: 'Invoice for Ada Lovelace', properties: { url: 'https://x.test/' } }, type);
    }
    assert.deepEqual(payloadOf({ type: 'track', anonymousId: 'a', name: 'Order Placed' }), {}, 'a track name is not sealed twice');
    assert.deepEqual(payloadOf({ type: 'page', anonymousId: 'a' }), {}, 'a page without a name');
  });
});
