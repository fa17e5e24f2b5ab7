import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import cors from '@fastify/cors';
import type { FastifyRequest } from 'fastify';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { gunzipBody, sentGzip } from '../../platform/http/gzip-body.js';
import { acceptJsonAs } from '../../platform/http/json-body.js';
import { withErrors } from '../../platform/http/schemas.js';
import { requireWriteKey, teamOfWriteKey } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { EVENT_LIMITS } from './event.js';
import { ingestEvents } from './ingest.js';
import { INGEST_BODY_LIMIT, INGEST_JSON, MAX_BATCH, type Message, toIncoming } from './tracking.routes.js';

const SEGMENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;

// Segment's libraries send more than Haven uses (integrations, _metadata, sentAt, version…):
// accepted and ignored, as Segment does.
const Message = Type.Object(
  {
    type: Type.Optional(Type.String({ maxLength: 20 })),
    writeKey: Type.Optional(Type.String({ maxLength: 200 })),
    context: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' })),
  },
  { additionalProperties: true },
);
const Success = Type.Object({ success: Type.Boolean(), accepted: Type.Optional(Type.Integer()), rejected: Type.Optional(Type.Integer()) });

/**
 * Segment's HTTP Tracking API (`/v1/identify|track|page|screen|group|alias|batch`), so a team's
 * existing Segment libraries can point at Haven. The write key comes as the Basic-auth user name
 * (or `writeKey` in the body). Answers `{"success": true}` like Segment.
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
    route.config = { ...route.config, anyOrigin: true } as typeof route.config;
  });

  // Pages on any origin post here (Haven's snippet, analytics.js). The write key is public and no
  // cookie is read, so any origin may; credentials are not allowed.
  await app.register(cors, { origin: '*', methods: ['POST', 'OPTIONS'], allowedHeaders: ['content-type', 'authorization'], maxAge: 86_400 });

  // Scoped to this plugin: JSON read as ingest reads it, also as text/plain, which the browser
  // snippet's sendBeacon sends (no CORS preflight); the rest of the API accepts JSON only.
  acceptJsonAs(app, 'text/plain', INGEST_JSON);
  acceptJsonAs(app, 'application/json', INGEST_JSON);

  // Segment's HTTP API takes gzip bodies (Content-Encoding: gzip); the body limits count the
  // decompressed bytes.
  app.addHook('preParsing', async (request, _reply, payload) => (sentGzip(request) ? gunzipBody(request, payload) : payload));

  async function teamOf(request: FastifyRequest, bodyKey: string | undefined): Promise<string> {
    if (request.principal || !bodyKey) return requireWriteKey(request).teamId;
    return teamOfWriteKey(engine, bodyKey);
  }

  for (const type of SEGMENT_TYPES) {
    app.post(
      `/${type}`,
      {
        bodyLimit: EVENT_LIMITS.maxEventBytes + 4096,
        schema: { tags: ['segment'], summary: `Segment-compatible ${type} call.`, body: Message, response: withErrors({ 200: Success }, 400, 401, 403, 413) },
      },
      async (request) => {
        const body = request.body as Message & { writeKey?: string };
        const teamId = await teamOf(request, body.writeKey);
        const [result] = await ingestEvents(engine, keyring, people, teamId, [toIncoming({ ...body, type })], request.id);
        if (result?.status === 'rejected') throw new HavenError(result.code, 400, result.message, result.field);
        return { success: true };
      },
    );
  }

  app.post(
    '/batch',
    {
      bodyLimit: INGEST_BODY_LIMIT,
      schema: {
        tags: ['segment'],
        summary:
          'Segment-compatible batch: messages that fail checks (an unknown type included) are dropped and counted, the rest stored; 200 once committed.',
        body: Type.Object(
          {
            batch: Type.Array(Message, { maxItems: MAX_BATCH }),
            writeKey: Type.Optional(Type.String({ maxLength: 200 })),
            context: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' })),
          },
          { additionalProperties: true },
        ),
        response: withErrors({ 200: Success }, 400, 401, 403, 413),
      },
    },
    async (request) => {
      const body = request.body as { batch: (Message & { type?: string })[]; writeKey?: string; context?: Record<string, unknown> };
      const teamId = await teamOf(request, body.writeKey);
      // Like Segment, a message of an unknown type is dropped and counted; it does not cost the batch.
      const known = body.batch.filter((m) => SEGMENT_TYPES.includes(m.type as (typeof SEGMENT_TYPES)[number]));
      // The batch's context applies to each message, the message's own winning.
      const events = known.map((m) => toIncoming({ ...m, type: m.type as Message['type'], context: { ...(body.context ?? {}), ...(m.context ?? {}) } }));
      const results = events.length > 0 ? await ingestEvents(engine, keyring, people, teamId, events, request.id) : [];
      const accepted = results.filter((r) => r.status === 'accepted').length;
      return { success: true, accepted, rejected: body.batch.length - accepted };
    },
  );
};
