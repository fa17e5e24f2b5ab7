import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import cors from '@fastify/cors';
import type { FastifyRequest } from 'fastify';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { decodedBody } from '../../platform/http/gzip-body.js';
import { acceptJsonAs, refuseReservedEnvelopeKey } from '../../platform/http/json-body.js';
import { withErrors } from '../../platform/http/schemas.js';
import { requireWriteKey, teamOfWriteKey } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { EVENT_LIMITS, type IncomingEvent, isPlainObject } from './event.js';
import { ingestEvents } from './ingest.js';
import { publicAnswer } from './public-answer.js';
import { INGEST_BODY_LIMIT, INGEST_JSON, KEY_IN_PATH, MAX_BATCH, type Message, toIncoming } from './tracking.routes.js';

const SEGMENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
type SegmentType = (typeof SEGMENT_TYPES)[number];
/** analytics-next posts each call to a one-letter path (`/v1/t`…) and batches to `/v1/b`. */
const SHORT_PATHS: Record<SegmentType, string> = { identify: 'i', track: 't', page: 'p', screen: 's', group: 'g', alias: 'a' };

// Segment's libraries send more than Haven uses (integrations, _metadata, version…): accepted and
// ignored, as Segment does. `sentAt` (a message's, else the batch's) corrects the clock skew of
// `timestamp`, as Segment does. The message's own fields are checked by checkEvent.
// A field sent as null is absent (as everywhere in ingest), so the envelope's may be null too.
const WriteKeyField = Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()]));
const ContextField = Type.Optional(Type.Unsafe<Record<string, unknown> | null>({ type: ['object', 'null'] }));
const Message = Type.Object({ writeKey: WriteKeyField, context: ContextField }, { additionalProperties: true });
const Success = Type.Object({ success: Type.Boolean(), accepted: Type.Optional(Type.Integer()), rejected: Type.Optional(Type.Integer()) });
const KeyParam = Type.String({ pattern: KEY_IN_PATH });

/**
 * Segment's HTTP Tracking API (`/v1/identify|track|page|screen|group|alias|batch`, and the
 * one-letter paths analytics-next uses), so a team's existing Segment libraries can point at
 * Haven. The write key comes as the Basic-auth user name (or `writeKey` in the body). Answers
 * `{"success": true}` like Segment. `GET /v1/projects/{writeKey}/settings` answers the settings
 * analytics-next fetches at start-up from its CDN: Haven itself as the only destination.
 */
export const segmentRoutes: FastifyPluginAsyncTypebox<{ engine: Engine; keyring: Keyring }> = async (app, options) => {
  // Under a /v1 prefix, so the preflight route @fastify/cors adds (OPTIONS *) covers /v1/* only.
  await app.register(segmentV1Routes, { ...options, prefix: '/v1' });
};

const segmentV1Routes: FastifyPluginAsyncTypebox<{ engine: Engine; keyring: Keyring }> = async (app, { engine, keyring }) => {
  const people = new PeopleService(keyring);

  // Write-key routes that web pages on any origin post to: authentication lets them through its
  // same-origin check for writes (config.anyOrigin) and takes the key alone, never a session cookie.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, anyOrigin: true, ingest: true } as typeof route.config;
  });

  // Pages on any origin post here (Haven's snippet, analytics.js) and read the settings. The write
  // key is public and no cookie is read, so any origin may; credentials are not allowed.
  // Retry-After is exposed: the snippet waits as long as it says before sending again.
  await app.register(cors, { origin: '*', methods: ['GET', 'POST', 'OPTIONS'], allowedHeaders: ['content-type', 'authorization'], exposedHeaders: ['retry-after'], maxAge: 86_400 });

  // Scoped to this plugin: JSON read as ingest reads it, also as text/plain, which the browser
  // snippet's sendBeacon and analytics-next send (no CORS preflight); the rest of the API accepts
  // JSON only.
  acceptJsonAs(app, 'text/plain', INGEST_JSON);
  acceptJsonAs(app, 'application/json', INGEST_JSON);

  // Segment's HTTP API takes gzip bodies (Content-Encoding: gzip); the body limits count the
  // decompressed bytes. Other encodings are 415 unsupported_encoding.
  app.addHook('preParsing', async (request, _reply, payload) => (request.method === 'POST' ? decodedBody(request, payload) : payload));

  async function teamOf(request: FastifyRequest, bodyKey: string | undefined): Promise<string> {
    if (request.principal || !bodyKey) return requireWriteKey(request).teamId;
    return teamOfWriteKey(engine, bodyKey);
  }

  for (const type of SEGMENT_TYPES) {
    const handler = async (request: FastifyRequest) => {
      const body = request.body as Omit<Message, 'type'> & { writeKey?: string | null };
      const teamId = await teamOf(request, body.writeKey ?? undefined);
      const [result] = (await ingestEvents(engine, keyring, people, teamId, [toIncoming({ ...body, type })], request.id, { viaWriteKey: true })).map(publicAnswer);
      if (result?.status === 'rejected') throw new HavenError(result.code, 400, result.message, result.field);
      return { success: true };
    };
    const schema = { body: Message, response: withErrors({ 200: Success }, 400, 401, 403, 413, 415) };
    app.post(`/${type}`, { bodyLimit: EVENT_LIMITS.maxEventBytes + 4096, schema: { tags: ['segment'], summary: `Segment-compatible ${type} call.`, ...schema } }, handler);
    app.post(`/${SHORT_PATHS[type]}`, { bodyLimit: EVENT_LIMITS.maxEventBytes + 4096, schema: { hide: true, ...schema } }, handler);
  }

  const batchHandler = async (request: FastifyRequest) => {
    const body = request.body as { batch: unknown[]; writeKey?: string | null; context?: Record<string, unknown> | null; sentAt?: unknown };
    refuseReservedEnvelopeKey(body);
    const teamId = await teamOf(request, body.writeKey ?? undefined);
    // Like Segment, a message that is not one (not an object, an unknown type) is dropped and
    // counted; it does not cost the batch. The others are checked one by one (checkEvent).
    const events: IncomingEvent[] = [];
    for (const m of body.batch) {
      if (!isPlainObject(m) || !SEGMENT_TYPES.includes(m.type as SegmentType)) continue;
      // The batch's context applies to each message, the message's own winning; a message's
      // context that is not an object is left as sent, for checkEvent to refuse.
      const context = m.context == null || isPlainObject(m.context) ? { ...(body.context ?? {}), ...(m.context ?? {}) } : m.context;
      events.push(toIncoming({ ...m, type: m.type as SegmentType, context, sentAt: m.sentAt ?? body.sentAt }));
    }
    const results = events.length > 0 ? (await ingestEvents(engine, keyring, people, teamId, events, request.id, { viaWriteKey: true })).map(publicAnswer) : [];
    const accepted = results.filter((r) => r.status === 'accepted').length;
    return { success: true, accepted, rejected: body.batch.length - accepted };
  };
  const batchSchema = {
    body: Type.Object(
      {
        batch: Type.Array(Type.Unknown({ description: 'A message as the single calls take it, with its `type`.' }), { maxItems: MAX_BATCH }),
        writeKey: WriteKeyField,
        context: ContextField,
      },
      { additionalProperties: true },
    ),
    response: withErrors({ 200: Success }, 400, 401, 403, 413, 415),
  };
  app.post(
    '/batch',
    {
      bodyLimit: INGEST_BODY_LIMIT,
      schema: {
        tags: ['segment'],
        summary:
          'Segment-compatible batch: messages that fail checks (an unknown type, one that is not an object, included) are dropped and counted, the rest stored; 200 once committed.',
        ...batchSchema,
      },
    },
    batchHandler,
  );
  // analytics-ruby posts its batches to /v1/import; analytics.js's beacon to /v1/b.
  for (const path of ['/b', '/import']) app.post(path, { bodyLimit: INGEST_BODY_LIMIT, schema: { hide: true, ...batchSchema } }, batchHandler);

  // analytics-next (the browser library) fetches its source's settings from its CDN before it
  // sends anything, and stops loading on any answer but 200. Pointed at Haven (cdnURL), it gets
  // Haven as its only destination — events go back to the host the settings came from — and no
  // device-mode integrations, middleware or plugins to load, and no metrics sent to Segment.
  // Nothing is looked up: the key is echoed as the library's own write key, and never logged (the
  // request log names the route pattern only).
  app.get(
    '/projects/:writeKey/settings',
    { schema: { hide: true, params: Type.Object({ writeKey: KeyParam }) } },
    async (request, reply) => {
      void reply.header('cache-control', 'private, max-age=300');
      const { writeKey } = request.params as { writeKey: string };
      return {
        integrations: { 'Segment.io': { apiKey: writeKey, apiHost: `${request.host}/v1`, protocol: request.protocol } },
        plan: {},
        middlewareSettings: {},
        enabledMiddleware: {},
        metrics: { sampleRate: 0 },
        legacyVideoPluginsEnabled: false,
        remotePlugins: [],
      };
    },
  );
};
