import { hash, randomUUID } from 'node:crypto';
import { HavenError, echoableName } from '../../platform/http/errors.js';
import { jsonByteLength } from '../../platform/http/json-byte-length.js';
import { RESERVED_KEY, RESERVED_KEY_MESSAGE, unstorable } from '../../platform/http/json-body.js';
import { PROPERTY_LIMITS, checkProperties } from '../people/index.js';

export const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One event as every wire format (Segment, PostHog, native) is turned into before ingest. */
export interface IncomingEvent {
  type: EventType;
  /** The sender's idempotency key (Segment messageId, PostHog uuid); generated when absent. */
  messageId?: string | undefined;
  userId?: string | undefined;
  anonymousId?: string | undefined;
  /** PostHog's distinct_id: an identified person's id if one has it, else an anonymous id. */
  distinctId?: string | undefined;
  /** track: the event name; page/screen: the page name. */
  name?: string | undefined;
  properties?: Record<string, unknown> | undefined;
  /** identify: profile traits to set; setOnce: only where missing (PostHog $set_once). */
  traits?: Record<string, unknown> | undefined;
  traitsOnce?: Record<string, unknown> | undefined;
  /** Profile properties to remove (PostHog's `$unset`), after the traits are set. */
  traitsUnset?: string[] | undefined;
  /** Page context: URL, referrer, title, user agent, locale… (IP addresses are dropped). */
  context?: Record<string, unknown> | undefined;
  timestamp?: string | undefined;
  /**
   * When the sender's clock said the event left (Segment's `sentAt`, PostHog's `sent_at`). Read
   * on the same clock as `timestamp`, so their difference — how long ago the event happened — is
   * right however wrong the clock: the event is dated that long before its arrival.
   */
  sentAt?: string | undefined;
  /**
   * How many milliseconds before its sending the event happened, in place of a timestamp:
   * posthog-js's queued events carry `offset` and no `timestamp`. Dated that long before arrival.
   */
  offsetMs?: number | undefined;
  /**
   * Why the wire format's own reading refused this event (not an object, an unknown type or
   * field, a field of the wrong type under its wire name): checkEvent refuses it with this, so a
   * batch answers it in its slot like any other refused event.
   */
  refused?: Refusal | undefined;
}

/** A refusal of one event: a stable code, a message for people and, if any, the field at fault. */
export interface Refusal {
  code: string;
  message: string;
  field?: string | undefined;
}

/** An event a wire format's reader could not read: checkEvent refuses it in its slot. */
export const refusedEvent = (code: string, message: string, field?: string): IncomingEvent => ({ type: 'track', refused: { code, message, field } });

/** An event refused for a `__proto__` key at `field` (its top by default). */
export const reservedKeyRefusal = (field = '__proto__'): IncomingEvent => refusedEvent('reserved_key', RESERVED_KEY_MESSAGE, field);

/** What one event did: accepted (stored or already stored) or refused, and why. */
export type EventResult =
  | { index: number; status: 'accepted'; eventId: string; personId: string; duplicate: boolean }
  | { index: number; status: 'rejected'; code: string; message: string; field?: string | undefined };

export const EVENT_LIMITS = {
  /** A single event, as JSON. */
  maxEventBytes: 32 * 1024,
  /**
   * Levels of objects and lists. posthog-node's captureException sends its stack's context lines
   * seven deep (`$exception_list[].stacktrace.frames[].pre_context[]`); six refused every one.
   */
  maxDepth: 10,
  maxNameLength: 200,
  maxIdLength: 200,
  /** Events later than this after arrival are dated at arrival (clock skew of senders). */
  maxFutureMs: 5 * 60_000,
  /** Events older than this many calendar years are refused (see earliestEventTime). */
  maxPastYears: 5,
} as const;

/** The earliest time an event received at `receivedAt` may have: the same UTC moment, five calendar years before. */
export function earliestEventTime(receivedAt: Date): number {
  const earliest = new Date(receivedAt);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - EVENT_LIMITS.maxPastYears);
  return earliest.getTime();
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A message's fields without those that are null. Official libraries write absent optional fields
 * as null (analytics-python's `anonymousId`, analytics-next's `userId`, posthog-go's `$set`), and
 * Segment and PostHog read null as absent: so does Haven.
 */
export function withoutNulls<T extends object>(message: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) if (value !== null) out[key] = value;
  return out as T;
}

/**
 * How deeply `value` nests; `bad.number` is set when a number in it is one JSON cannot carry: a
 * literal too large for a double (`1e400`) parses as Infinity, which would be stored as `null`.
 */
function depthOf(value: unknown, bad: { number: boolean }): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) bad.number = true;
    return 0;
  }
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  if (Array.isArray(value)) for (const child of value) max = Math.max(max, depthOf(child, bad));
  else for (const key of Object.keys(value)) max = Math.max(max, depthOf((value as Record<string, unknown>)[key], bad));
  return 1 + max;
}

/**
 * The path to the first value (or key) in `value` that `bad` picks out: a number JSON cannot carry
 * (only looked for once depthOf has seen one), or text PostgreSQL cannot store.
 */
function pathTo(value: unknown, bad: (leaf: unknown) => boolean): string[] | undefined {
  if (value === null || typeof value !== 'object') return bad(value) ? [] : undefined;
  for (const key of Object.keys(value)) {
    if (bad(key)) return [key];
    const below = pathTo((value as Record<string, unknown>)[key], bad);
    if (below) return [key, ...below];
  }
  return undefined;
}

/** A `__proto__` key, as the ingest parse keeps it (RESERVED_KEY): its event alone is refused. */
function refuseReservedKey(field: string, value: unknown): void {
  const at = pathTo(value, (leaf) => leaf === RESERVED_KEY);
  if (at) throw new HavenError('reserved_key', 400, RESERVED_KEY_MESSAGE, [field, ...at.slice(0, -1).map(echoableName), '__proto__'].join('.'));
}

function refuseUnstorable(field: string, value: unknown): void {
  const at = pathTo(value, unstorableText);
  if (at) throw new HavenError('invalid_text', 400, 'Text may not contain NUL characters or unpaired surrogates.', [field, ...at.map(echoableName)].join('.'));
}

function checkId(field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw new HavenError('invalid_type', 400, `${field} must be text.`, field);
  if (value.trim().length === 0 || value.length > EVENT_LIMITS.maxIdLength) {
    throw new HavenError('invalid_identity', 400, `${field} must be 1–${EVENT_LIMITS.maxIdLength} characters, not only spaces.`, field);
  }
}

const badNumber = (leaf: unknown) => typeof leaf === 'number' && !Number.isFinite(leaf);
/** NUL or a lone surrogate, in a string or a key. */
const unstorableText = (leaf: unknown) => typeof leaf === 'string' && unstorable(leaf);

/**
 * An event's time as senders write it: an RFC 3339 date-time with its zone, the form every
 * official Segment and PostHog library sends (`2026-03-07T10:00:00.123Z`, `…+01:00`; JavaScript's
 * toISOString, Python's isoformat of an aware time, Go's RFC3339Nano). The profile is the one
 * query times follow (InputTime): years 1000–9999, seconds 00–59, up to 9 fractional digits (kept
 * to the millisecond), offsets up to ±15:59, `T` or a space. A time without a zone is refused: the
 * sender's local time is unknown, and guessing would misdate events by hours.
 */
const EVENT_TIME = /^([1-9]\d{3})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,9}))?(?:[Zz]|([+-])(0\d|1[0-5]):([0-5]\d))$/;

/** Milliseconds since the epoch of an RFC 3339 date-time with a zone, or undefined when it is not one or names no real day. */
export function eventTime(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = EVENT_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const offsetMinutes = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/**
 * Check an event's shape and limits and settle its time — everything that can refuse an event,
 * so that a refused event is refused before any write and a batch never half-fails. Throws
 * HavenError with a field path (the name the sender wrote); returns the time to record and the
 * idempotency hash.
 */
export function checkEvent(e: IncomingEvent, receivedAt: Date): { occurredAt: Date; messageHash: Buffer; clamped: boolean } {
  if (e.refused) throw new HavenError(e.refused.code, 400, e.refused.message, e.refused.field);
  if (!EVENT_TYPES.includes(e.type)) throw new HavenError('invalid_value', 400, `type must be one of ${EVENT_TYPES.join(', ')}.`, 'type');
  // An alias's anonymous id is the previous id it merges (Segment's previousId).
  const previousField = e.type === 'alias' ? 'previousId' : 'anonymousId';
  const nameField = e.type === 'track' ? 'event' : 'name';
  // Ingest bodies keep text PostgreSQL cannot store (INGEST_JSON), so that it refuses this event
  // alone, named by field — the field's path only: the text itself is never echoed.
  refuseUnstorable('userId', e.userId);
  refuseUnstorable(previousField, e.anonymousId);
  refuseUnstorable('distinct_id', e.distinctId);
  refuseUnstorable('messageId', e.messageId);
  refuseUnstorable(nameField, e.name);
  refuseUnstorable('timestamp', e.timestamp);
  for (const field of ['properties', 'traits', 'traitsOnce', 'context'] as const) refuseReservedKey(field, e[field]);
  refuseUnstorable('properties', e.properties);
  refuseUnstorable('traits', e.traits);
  refuseUnstorable('traitsOnce', e.traitsOnce);
  refuseUnstorable('context', e.context);
  checkId('userId', e.userId);
  checkId(previousField, e.anonymousId);
  checkId('distinct_id', e.distinctId);
  checkId('messageId', e.messageId);
  if (e.type === 'alias') {
    if (e.userId === undefined) throw new HavenError('missing_field', 400, 'An alias needs the userId the previous id becomes.', 'userId');
    if (e.anonymousId === undefined) throw new HavenError('missing_field', 400, 'An alias needs the previousId it merges into userId.', 'previousId');
  }
  if (e.userId === undefined && e.anonymousId === undefined && e.distinctId === undefined) {
    throw new HavenError('missing_identity', 400, 'An event needs a userId or an anonymousId.', 'userId');
  }
  if (e.name !== undefined) {
    if (typeof e.name !== 'string') throw new HavenError('invalid_type', 400, `${nameField} must be text.`, nameField);
  }
  if (e.name === undefined || e.name.trim().length === 0) {
    if (e.type === 'track') throw new HavenError('missing_field', 400, 'A track call needs an event name (not only spaces).', 'event');
    if (e.name !== undefined) throw new HavenError('invalid_value', 400, 'A page name may not be only spaces; leave it out.', 'name');
  }
  for (const field of ['properties', 'traits', 'traitsOnce', 'context'] as const) {
    const value = e[field];
    if (value === undefined) continue;
    if (!isPlainObject(value)) throw new HavenError('invalid_type', 400, `${field} must be an object.`, field);
    const bad = { number: false };
    if (depthOf(value, bad) > EVENT_LIMITS.maxDepth) throw new HavenError('too_deep', 400, `${field} nests more than ${EVENT_LIMITS.maxDepth} levels.`, field);
    if (bad.number) {
      const at = [field, ...(pathTo(value, badNumber) ?? []).map(echoableName)].join('.');
      throw new HavenError('invalid_number', 400, 'A number is too large to store (JSON numbers must fit a double).', at);
    }
  }
  checkSizes(e);
  let occurredAt = receivedAt;
  let clamped = false;
  if (e.timestamp === undefined && e.offsetMs !== undefined) {
    if (receivedAt.getTime() - e.offsetMs < earliestEventTime(receivedAt)) throw new HavenError('timestamp_out_of_range', 400, 'The event is more than 5 years old.', 'offset');
    occurredAt = new Date(receivedAt.getTime() - e.offsetMs);
  } else if (e.timestamp !== undefined) {
    let t = eventTime(e.timestamp);
    if (t === undefined) throw new HavenError('invalid_timestamp', 400, 'timestamp must be an RFC 3339 date-time with its zone, e.g. 2026-03-07T10:00:00Z.', 'timestamp');
    // The sender's clock may be off by minutes or years; the time between the event and its
    // sending is not. A sentAt that cannot be read is left aside: the timestamp is taken as sent.
    const sent = e.sentAt !== undefined ? eventTime(e.sentAt) : undefined;
    if (sent !== undefined) t = receivedAt.getTime() - Math.max(0, sent - t);
    if (t < earliestEventTime(receivedAt)) throw new HavenError('timestamp_out_of_range', 400, 'The event is more than 5 years old.', 'timestamp');
    if (t > receivedAt.getTime() + EVENT_LIMITS.maxFutureMs) clamped = true;
    else occurredAt = new Date(t);
  }
  const messageId = e.messageId ?? randomUUID();
  return { occurredAt, messageHash: hash('sha256', messageId, 'buffer'), clamped };
}

/**
 * The limits on lengths and sizes: checked on every event as sent, and again on an event the
 * restricted-data guard redacted — its marker can be longer than the text it replaces, and two
 * property names it made the same are told apart by a suffix.
 */
export function checkSizes(e: IncomingEvent): void {
  if (e.traitsUnset && e.traitsUnset.length > PROPERTY_LIMITS.maxKeys) {
    throw new HavenError('too_many_properties', 400, `At most ${PROPERTY_LIMITS.maxKeys} properties to unset.`, 'properties.$unset');
  }
  if (e.name !== undefined && e.name.length > EVENT_LIMITS.maxNameLength) {
    const field = e.type === 'track' ? 'event' : 'name';
    throw new HavenError('too_long', 400, `Event names are at most ${EVENT_LIMITS.maxNameLength} characters.`, field);
  }
  // Traits become profile properties: the people limits apply now, before anything is written.
  if (e.traits) checkProperties(e.traits, 'traits');
  if (e.traitsOnce) checkProperties(e.traitsOnce, 'traitsOnce');
  if (jsonByteLength(e) > EVENT_LIMITS.maxEventBytes) {
    throw new HavenError('event_too_large', 400, `An event is at most ${EVENT_LIMITS.maxEventBytes / 1024} KiB as JSON.`);
  }
}

/**
 * The name stored in clear, for counting: a track event's name, which the sender's code chooses
 * (`Order Placed`). Any other type's name comes from what the person saw — a page's or screen's
 * title (PostHog's `$pageview` title, Segment's page `name`) can name them ("Invoice for Ada
 * Lovelace") — so it is sealed with the payload (I2), and the clear type says what it was.
 */
export const clearNameOf = (e: IncomingEvent): string | null => (e.type === 'track' ? (e.name ?? null) : null);

/** The part of an event that is personal data, sealed as one payload. IP addresses are not kept. */
export function payloadOf(e: IncomingEvent): Record<string, unknown> {
  const context = e.context ? { ...e.context } : undefined;
  if (context) delete context.ip;
  return {
    ...(e.type !== 'track' && e.name !== undefined ? { name: e.name } : {}),
    ...(e.properties ? { properties: e.properties } : {}),
    ...(e.traits ? { traits: e.traits } : {}),
    ...(e.traitsOnce ? { traitsOnce: e.traitsOnce } : {}),
    ...(context ? { context } : {}),
  };
}
