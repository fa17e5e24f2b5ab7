import { hash, randomUUID } from 'node:crypto';
import { HavenError } from '../../platform/http/errors.js';
import { checkProperties } from '../people/index.js';

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
  /** Page context: URL, referrer, title, user agent, locale… (IP addresses are dropped). */
  context?: Record<string, unknown> | undefined;
  timestamp?: string | undefined;
}

/** What one event did: accepted (stored or already stored) or refused, and why. */
export type EventResult =
  | { index: number; status: 'accepted'; eventId: string; personId: string; duplicate: boolean }
  | { index: number; status: 'rejected'; code: string; message: string; field?: string | undefined };

export const EVENT_LIMITS = {
  /** A single event, as JSON. */
  maxEventBytes: 32 * 1024,
  maxDepth: 6,
  maxNameLength: 200,
  maxIdLength: 200,
  /** Events later than this after arrival are dated at arrival (clock skew of senders). */
  maxFutureMs: 5 * 60_000,
  /** Events older than this are refused. */
  maxPastMs: 5 * 365 * 86_400_000,
} as const;

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) max = Math.max(max, depthOf(child));
  return 1 + max;
}

/**
 * Check an event's shape and limits and settle its time — everything that can refuse an event,
 * so that a refused event is refused before any write and a batch never half-fails. Throws
 * HavenError with a field path; returns the time to record and the idempotency hash.
 */
export function checkEvent(e: IncomingEvent, receivedAt: Date): { occurredAt: Date; messageHash: Buffer; clamped: boolean } {
  if (!e.userId && !e.anonymousId && !e.distinctId) throw new HavenError('missing_identity', 400, 'An event needs a userId or an anonymousId.', 'userId');
  for (const [field, value] of [
    ['userId', e.userId],
    ['anonymousId', e.anonymousId],
    ['distinct_id', e.distinctId],
    ['messageId', e.messageId],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.trim().length === 0 || value.length > EVENT_LIMITS.maxIdLength)) {
      throw new HavenError('invalid_identity', 400, `${field} must be 1–${EVENT_LIMITS.maxIdLength} characters.`, field);
    }
  }
  if (e.type === 'track' && (!e.name || typeof e.name !== 'string')) throw new HavenError('missing_field', 400, 'A track call needs an event name.', 'event');
  if (e.name !== undefined && (typeof e.name !== 'string' || e.name.length > EVENT_LIMITS.maxNameLength)) {
    throw new HavenError('too_long', 400, `Event names are at most ${EVENT_LIMITS.maxNameLength} characters.`, 'event');
  }
  for (const field of ['properties', 'traits', 'traitsOnce', 'context'] as const) {
    const value = e[field];
    if (value === undefined) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HavenError('invalid_type', 400, `${field} must be an object.`, field);
    if (depthOf(value) > EVENT_LIMITS.maxDepth) throw new HavenError('too_deep', 400, `${field} nests more than ${EVENT_LIMITS.maxDepth} levels.`, field);
  }
  // Traits become profile properties: the people limits apply now, before anything is written.
  if (e.traits) checkProperties(e.traits, 'traits');
  if (e.traitsOnce) checkProperties(e.traitsOnce, 'traitsOnce');
  if (Buffer.byteLength(JSON.stringify(e), 'utf8') > EVENT_LIMITS.maxEventBytes) {
    throw new HavenError('event_too_large', 400, `An event is at most ${EVENT_LIMITS.maxEventBytes / 1024} KiB as JSON.`);
  }
  let occurredAt = receivedAt;
  let clamped = false;
  if (e.timestamp !== undefined) {
    const t = typeof e.timestamp === 'string' ? Date.parse(e.timestamp) : Number.NaN;
    if (Number.isNaN(t)) throw new HavenError('invalid_timestamp', 400, 'timestamp must be an ISO 8601 date-time.', 'timestamp');
    if (t < receivedAt.getTime() - EVENT_LIMITS.maxPastMs) throw new HavenError('timestamp_out_of_range', 400, 'The event is more than 5 years old.', 'timestamp');
    if (t > receivedAt.getTime() + EVENT_LIMITS.maxFutureMs) clamped = true;
    else occurredAt = new Date(t);
  }
  const messageId = e.messageId ?? randomUUID();
  return { occurredAt, messageHash: hash('sha256', messageId, 'buffer'), clamped };
}

/** The part of an event that is personal data, sealed as one payload. IP addresses are not kept. */
export function payloadOf(e: IncomingEvent): Record<string, unknown> {
  const context = e.context ? { ...e.context } : undefined;
  if (context) delete context.ip;
  return {
    ...(e.properties ? { properties: e.properties } : {}),
    ...(e.traits ? { traits: e.traits } : {}),
    ...(e.traitsOnce ? { traitsOnce: e.traitsOnce } : {}),
    ...(context ? { context } : {}),
  };
}
