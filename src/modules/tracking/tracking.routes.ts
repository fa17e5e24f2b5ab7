import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine } from '../../platform/db/engine.js';
import { withTeam } from '../../platform/db/with-team.js';
import { HavenError, echoableName } from '../../platform/http/errors.js';
import { decodedBody } from '../../platform/http/gzip-body.js';
import { RESERVED_KEY, type StrictJsonOptions, acceptJsonAs, holdsReservedKey } from '../../platform/http/json-body.js';
import { AnyKeys, InputTime, Timestamp, Uuid, withErrors } from '../../platform/http/schemas.js';
import { optionalQueryTime } from '../../platform/http/query-time.js';
import { isTimeZone, resolveDayWindow } from './day-window.js';
import { requireTeam, requireWriteKey } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { EVENT_TYPES, type IncomingEvent, isPlainObject, refusedEvent, reservedKeyRefusal, withoutNulls } from './event.js';
import { ingestEvents } from './ingest.js';
import { publicAnswer } from './public-answer.js';
import { dailyCounts, pagesViewed, personActivity } from './timeline.js';

export const INGEST_BODY_LIMIT = 512 * 1024;
/**
 * Ingest bodies carry free-form data, kept and checked as sent: long integers keep their digits,
 * and text that cannot be stored refuses only its own event (checkEvent), not the batch.
 */
export const INGEST_JSON: StrictJsonOptions = { exactIntegers: true, keepUnstorableText: true };
export const MAX_BATCH = 1000;
/** A write key as it may stand in a path (the compatibility APIs' start-up calls): base64url, as Haven writes keys. */
export const KEY_IN_PATH = '^[A-Za-z0-9_-]{1,200}$';

const EventType = Type.Union([
  Type.Literal('track'),
  Type.Literal('page'),
  Type.Literal('screen'),
  Type.Literal('identify'),
  Type.Literal('group'),
  Type.Literal('alias'),
]);
/**
 * The native event's fields. The route does not validate events against this schema: each event
 * is checked on its own (nativeEvent, then checkEvent) and answered in its own slot of `results`,
 * so one bad event never costs its batch; only the envelope (`{events: [...]}`) fails a request.
 */
const NativeEvent = Type.Object(
  {
    type: EventType,
    messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    anonymousId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    previousId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'alias: the id merged into userId (else anonymousId)' })),
    event: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'track: the event name' })),
    name: Type.Optional(Type.String({ maxLength: 200, description: 'page / screen: the page name' })),
    properties: Type.Optional(AnyKeys(Type.Unknown())),
    traits: Type.Optional(AnyKeys(Type.Unknown())),
    traitsOnce: Type.Optional(AnyKeys(Type.Unknown())),
    context: Type.Optional(AnyKeys(Type.Unknown())),
    timestamp: Type.Optional(Type.String({ format: 'date-time', description: 'RFC 3339 with a zone' })),
    sentAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the event was sent, by the clock that wrote timestamp: the event is dated that long before its arrival (clock skew)' }),
    ),
  },
  { additionalProperties: false },
);
/** Any JSON value: an event shaped as NativeEvent, else refused in its own slot of the results. */
const EventItem = Type.Unsafe<unknown>({
  description: `An event (${Object.keys(NativeEvent.properties).join(', ')}). A malformed one is refused in its own slot of \`results\`, not with the request.`,
  example: { type: 'track', userId: 'user-42', event: 'Order Placed', properties: { total: 12 }, timestamp: '2026-03-07T10:00:00Z' },
});
const NATIVE_FIELDS = new Set(Object.keys(NativeEvent.properties));
/** The native fields that belong to some event types only (a track event's name is its `event`); the rest go with any. */
const NATIVE_FIELDS_OF: readonly (readonly [string, readonly (typeof EVENT_TYPES)[number][]])[] = [
  ['event', ['track']],
  ['name', ['page', 'screen', 'identify', 'group', 'alias']],
  ['traits', ['identify', 'group']],
  ['traitsOnce', ['identify']],
  ['previousId', ['alias']],
];
const Result = Type.Object({
  index: Type.Integer(),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
  // With a secret key only (publicAnswer).
  eventId: Type.Optional(Uuid),
  personId: Type.Optional(Uuid),
  duplicate: Type.Optional(Type.Boolean()),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
});
const Activity = Type.Object({
  id: Uuid,
  type: EventType,
  name: Type.Union([Type.String(), Type.Null()]),
  occurredAt: Timestamp,
  receivedAt: Timestamp,
  properties: AnyKeys(Type.Unknown(), { description: "The event's own properties, as sent." }),
  traits: AnyKeys(Type.Unknown(), { description: 'Profile traits the event set (identify; PostHog $set).' }),
  traitsOnce: AnyKeys(Type.Unknown(), { description: 'Profile traits it set only where missing (PostHog $set_once).' }),
  context: AnyKeys(Type.Unknown(), { description: 'Where it happened, as the sender said: page, user agent, locale, campaign… (never the IP address).' }),
  url: Type.Union([Type.String(), Type.Null()]),
  referrer: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
});

/**
 * A message as Segment's and the native API's JSON shape it. Its fields are as sent (JSON of
 * any type): checkEvent refuses those of the wrong type under these names.
 */
export interface Message {
  type: IncomingEvent['type'];
  messageId?: unknown;
  userId?: unknown;
  anonymousId?: unknown;
  previousId?: unknown;
  event?: unknown;
  name?: unknown;
  properties?: unknown;
  traits?: unknown;
  traitsOnce?: unknown;
  context?: unknown;
  timestamp?: unknown;
  sentAt?: unknown;
  groupId?: unknown;
}

/** A page name that is only spaces names nothing: the page call goes on without one. */
const pageName = (name: unknown) => (typeof name === 'string' && name.trim() === '' ? undefined : name);

/**
 * An id sent as a number is the text of that number: Segment's Ruby and Python libraries pass ids
 * through as given, so a Rails `user_id: user.id` arrives as `42` (PostHog's ids are read the same
 * way). Anything else goes on as sent, for checkEvent to refuse.
 */
const idAsText = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v);

/** Turn a native/Segment-shaped message into an IncomingEvent (its fields checked by checkEvent). */
export function toIncoming(message: Message): IncomingEvent {
  if (holdsReservedKey(message)) return reservedKeyRefusal();
  const m = withoutNulls(message);
  if (m.type === 'group') {
    // A group's properties and traits are spread into the stored properties: they must be objects.
    for (const field of ['properties', 'traits'] as const) {
      if (m[field] !== undefined && !isPlainObject(m[field])) return refusedEvent('invalid_type', `${field} must be an object.`, field);
    }
  }
  return {
    type: m.type,
    messageId: m.messageId,
    userId: idAsText(m.userId),
    // alias: the previous id (usually the anonymous one) merges into userId.
    anonymousId: idAsText(m.type === 'alias' ? (m.previousId ?? m.anonymousId) : m.anonymousId),
    name: m.type === 'track' ? m.event : pageName(m.name),
    properties:
      m.type === 'group' ? { ...((m.properties as Record<string, unknown> | undefined) ?? {}), groupId: idAsText(m.groupId), groupTraits: m.traits } : m.properties,
    traits: m.type === 'identify' ? m.traits : undefined,
    traitsOnce: m.type === 'identify' ? m.traitsOnce : undefined,
    context: m.context,
    timestamp: m.timestamp,
    // A sentAt that is not text is left aside, as one that is not a time is (checkEvent).
    sentAt: typeof m.sentAt === 'string' ? m.sentAt : undefined,
  } as IncomingEvent;
}

/**
 * One element of a native batch as an IncomingEvent: what is wrong with its shape (not an
 * object, an unknown field or type) refuses it alone, in its slot of the results.
 */
export function nativeEvent(raw: unknown): IncomingEvent {
  if (!isPlainObject(raw)) return refusedEvent('invalid_type', 'Each event must be a JSON object.');
  for (const key of Object.keys(raw)) {
    if (key === RESERVED_KEY) return reservedKeyRefusal();
    if (!NATIVE_FIELDS.has(key)) return refusedEvent('unknown_field', 'This field is not accepted here.', echoableName(key));
  }
  if (raw.type === undefined) return refusedEvent('missing_field', 'Each event needs a type.', 'type');
  if (typeof raw.type !== 'string') return refusedEvent('invalid_type', 'type must be text.', 'type');
  if (!(EVENT_TYPES as readonly string[]).includes(raw.type)) return refusedEvent('invalid_value', `type must be one of ${EVENT_TYPES.join(', ')}.`, 'type');
  // A field of another type's would be dropped on the way in: refused instead, so nothing sent is lost quietly.
  for (const [field, types] of NATIVE_FIELDS_OF) {
    if (raw[field] != null && !types.includes(raw.type as (typeof EVENT_TYPES)[number])) return refusedEvent('unknown_field', `A ${raw.type} event does not take ${field}.`, field);
  }
  return toIncoming(raw as unknown as Message);
}

export const trackingRoutes: FastifyPluginAsyncTypebox<{ engine: Engine; keyring: Keyring }> = async (app, { engine, keyring }) => {
  const people = new PeopleService(keyring);
  // Scoped to this plugin, whose only body is ingest's.
  acceptJsonAs(app, 'application/json', INGEST_JSON);

  app.post(
    '/events',
    {
      bodyLimit: INGEST_BODY_LIMIT,
      config: { ingest: true },
      // Gzip bodies are read like the Segment and PostHog endpoints read them: the limit counts
      // the inflated bytes; other codings are 415.
      preParsing: async (request, _reply, payload) => decodedBody(request, payload),
      schema: {
        tags: ['tracking'],
        summary:
          "Native ingest for your sites and back ends: up to 1000 events; each is accepted or refused on its own. When this answers, accepted events are committed. With the public write key an answer says only what concerns the event as sent; with an admin secret key it also gives the event's and person's ids and the team's privacy drops.",
        body: Type.Object({ events: Type.Array(EventItem, { minItems: 1, maxItems: MAX_BATCH }) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ accepted: Type.Integer(), rejected: Type.Integer(), results: Type.Array(Result) }) }, 400, 401, 403, 413, 415),
      },
    },
    async (request) => {
      // A secret key is never in a page: its holder may learn what the team's rules did.
      const detailed = request.principal?.kind === 'secretKey';
      const { teamId } = detailed ? requireTeam(request, 'people.write') : requireWriteKey(request);
      const all = await ingestEvents(engine, keyring, people, teamId, request.body.events.map(nativeEvent), request.id, { viaWriteKey: !detailed });
      const results = detailed ? all : all.map(publicAnswer);
      const accepted = results.filter((r) => r.status === 'accepted').length;
      return { accepted, rejected: results.length - accepted, results };
    },
  );

  app.get(
    '/people/:id/activity',
    {
      schema: {
        tags: ['tracking'],
        summary: "A person's activity timeline, newest first (keyset pages), optionally by type and time range.",
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object(
          {
            type: Type.Optional(Type.Array(EventType, { maxItems: 6 })),
            from: Type.Optional(InputTime),
            to: Type.Optional(InputTime),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ activity: Type.Array(Activity), nextCursor: Type.Union([Type.String(), Type.Null()]) }) }, 400, 401, 403, 404),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'people.read');
      const q = request.query;
      const [from, to] = [optionalQueryTime(q.from), optionalQueryTime(q.to)];
      // Bounds the wrong way round could only select nothing: a mistake, said as one.
      if (from && to && to.micros <= from.micros) throw new HavenError('out_of_range', 400, '`to` must be after `from`.', 'query.to');
      return withTeam(engine, access.teamId, async (tx) => {
        await people.requireExists(tx, access.teamId, request.params.id);
        return personActivity(tx, keyring, access.teamId, request.params.id, { types: q.type, from: from?.text, to: to?.text, limit: q.limit, cursor: q.cursor });
      });
    },
  );

  app.get(
    '/people/:id/pages',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Pages a person viewed: each URL with its number of views and the last view.',
        params: Type.Object({ id: Uuid }),
        response: withErrors(
          { 200: Type.Object({ pages: Type.Array(Type.Object({ url: Type.Union([Type.String(), Type.Null()]), title: Type.Union([Type.String(), Type.Null()]), views: Type.Integer(), lastViewedAt: Timestamp })) }) },
          400,
          401,
          403,
          404,
        ),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'people.read');
      return withTeam(engine, access.teamId, async (tx) => {
        await people.requireExists(tx, access.teamId, request.params.id);
        return { pages: await pagesViewed(tx, keyring, access.teamId, request.params.id) };
      });
    },
  );

  app.get(
    '/activity/daily',
    {
      schema: {
        tags: ['tracking'],
        summary: "The team's events per day and type (default: today and the 30 days before it). Days are UTC's unless `tz` names a time zone.",
        querystring: Type.Object(
          {
            from: Type.Optional(InputTime),
            to: Type.Optional(InputTime),
            tz: Type.Optional(Type.String({ maxLength: 64, description: 'An IANA time zone, e.g. `Europe/Paris`, whose days to count by.' })),
          },
          { additionalProperties: false },
        ),
        response: withErrors(
          { 200: Type.Object({ days: Type.Array(Type.Object({ day: Type.String(), total: Type.Integer(), counts: AnyKeys(Type.Integer()) })) }) },
          400,
          401,
          403,
        ),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'people.read');
      const { from, to, tz = 'UTC' } = request.query;
      const unknownZone = new HavenError('invalid_time_zone', 400, 'tz must be an IANA time zone such as Europe/Paris.', 'query.tz');
      if (!isTimeZone(tz)) throw unknownZone;
      try {
        const days = await withTeam(engine, access.teamId, async (tx) => dailyCounts(tx, access.teamId, { ...(await resolveDayWindow(tx, { from, to }, tz)), timeZone: tz }));
        return { days };
      } catch (error) {
        // A zone newer than the database's own time zone data: "time zone … not recognized".
        if ((error as { code?: string }).code === '22023') throw unknownZone;
        throw error;
      }
    },
  );
};
