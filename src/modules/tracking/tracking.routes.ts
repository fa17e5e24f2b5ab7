import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine } from '../../platform/db/engine.js';
import { withTeam } from '../../platform/db/with-team.js';
import { type StrictJsonOptions, acceptJsonAs } from '../../platform/http/json-body.js';
import { InputTime, Timestamp, Uuid, withErrors } from '../../platform/http/schemas.js';
import { dayWindow } from './day-window.js';
import { requireTeam, requireWriteKey } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import type { IncomingEvent } from './event.js';
import { ingestEvents } from './ingest.js';
import { dailyCounts, pagesViewed, personActivity } from './timeline.js';

export const INGEST_BODY_LIMIT = 512 * 1024;
/** Ingest bodies carry free-form data, kept and checked as sent: long integers keep their digits. */
export const INGEST_JSON: StrictJsonOptions = { exactIntegers: true };
export const MAX_BATCH = 1000;

const EventType = Type.Union([
  Type.Literal('track'),
  Type.Literal('page'),
  Type.Literal('screen'),
  Type.Literal('identify'),
  Type.Literal('group'),
  Type.Literal('alias'),
]);
const AnyObject = Type.Unsafe<Record<string, unknown>>({ type: 'object' });
const NativeEvent = Type.Object(
  {
    type: EventType,
    messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    anonymousId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    event: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'track: the event name' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'page / screen: the page name' })),
    properties: Type.Optional(AnyObject),
    traits: Type.Optional(AnyObject),
    traitsOnce: Type.Optional(AnyObject),
    context: Type.Optional(AnyObject),
    timestamp: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
const Result = Type.Object({
  index: Type.Integer(),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
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
  properties: Type.Record(Type.String(), Type.Unknown()),
  url: Type.Union([Type.String(), Type.Null()]),
  referrer: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
});

/** A message as Segment's and the native API's JSON shape it. */
export interface Message {
  type: IncomingEvent['type'];
  messageId?: string;
  userId?: string;
  anonymousId?: string;
  previousId?: string;
  event?: string;
  name?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  traitsOnce?: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp?: string;
  groupId?: string;
}

/** Turn a native/Segment-shaped message into an IncomingEvent. */
export function toIncoming(m: Message): IncomingEvent {
  return {
    type: m.type,
    messageId: m.messageId,
    userId: m.userId,
    // alias: the previous id (usually the anonymous one) merges into userId.
    anonymousId: m.type === 'alias' ? (m.previousId ?? m.anonymousId) : m.anonymousId,
    name: m.type === 'track' ? m.event : m.name,
    properties: m.type === 'group' ? { ...(m.properties ?? {}), groupId: m.groupId, groupTraits: m.traits } : m.properties,
    traits: m.type === 'identify' ? m.traits : undefined,
    traitsOnce: m.type === 'identify' ? m.traitsOnce : undefined,
    context: m.context,
    timestamp: m.timestamp,
  };
}

export const trackingRoutes: FastifyPluginAsyncTypebox<{ engine: Engine; keyring: Keyring }> = async (app, { engine, keyring }) => {
  const people = new PeopleService(keyring);
  // Scoped to this plugin, whose only body is ingest's.
  acceptJsonAs(app, 'application/json', INGEST_JSON);

  app.post(
    '/events',
    {
      bodyLimit: INGEST_BODY_LIMIT,
      schema: {
        tags: ['tracking'],
        summary:
          'Native ingest for your back ends (write key): up to 1000 events; each is accepted or refused on its own. When this answers, accepted events are committed.',
        body: Type.Object({ events: Type.Array(NativeEvent, { minItems: 1, maxItems: MAX_BATCH }) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ accepted: Type.Integer(), rejected: Type.Integer(), results: Type.Array(Result) }) }, 400, 401, 403, 413),
      },
    },
    async (request) => {
      const { teamId } = requireWriteKey(request);
      const results = await ingestEvents(engine, keyring, people, teamId, request.body.events.map((e) => toIncoming(e as Message)), request.id);
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
      return withTeam(engine, access.teamId, async (tx) => {
        await people.requireExists(tx, access.teamId, request.params.id);
        const q = request.query;
        return personActivity(tx, keyring, access.teamId, request.params.id, { types: q.type, from: q.from, to: q.to, limit: q.limit, cursor: q.cursor });
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
          { 200: Type.Object({ pages: Type.Array(Type.Object({ url: Type.String(), title: Type.Union([Type.String(), Type.Null()]), views: Type.Integer(), lastViewedAt: Timestamp })) }) },
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
        summary: "The team's events per UTC day and type (default: the last 30 days).",
        querystring: Type.Object(
          { from: Type.Optional(InputTime), to: Type.Optional(InputTime) },
          { additionalProperties: false },
        ),
        response: withErrors(
          { 200: Type.Object({ days: Type.Array(Type.Object({ day: Type.String(), total: Type.Integer(), counts: Type.Record(Type.String(), Type.Integer()) })) }) },
          400,
          401,
          403,
        ),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'people.read');
      const { from, to } = dayWindow(request.query);
      return { days: await withTeam(engine, access.teamId, (tx) => dailyCounts(tx, access.teamId, from, to)) };
    },
  );
};
