import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { gunzipBody, sentGzip } from '../../platform/http/gzip-body.js';
import { acceptJsonAs } from '../../platform/http/json-body.js';
import { teamOfWriteKey } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { ingestEvents } from './ingest.js';
import { type PostHogEvent, fromPostHog } from './posthog.js';
import { lz64Refused, parsePostHogForm } from './posthog-form-body.js';
import { INGEST_BODY_LIMIT, INGEST_JSON, MAX_BATCH } from './tracking.routes.js';

const CAPTURE_PATHS = ['/capture', '/e', '/batch', '/i/v0/e', '/track', '/engage'];

/**
 * PostHog's capture API (`/capture`, `/batch`, `/e`, `/i/v0/e`), so posthog-js and posthog-node
 * can point at Haven. The project key is the team's write key (`api_key` / `token` in the body).
 * Bodies may be gzip (Content-Encoding: gzip, or `?compression=gzip-js`) and arrive as
 * text/plain (how posthog-js avoids a CORS preflight), or as older posthog-js's form body
 * (`data=<base64>`, see posthog-form-body.ts). The size limit applies after
 * decompression, so a gzip bomb stops at 512 KiB. `/decide` and `/flags` answer that nothing is
 * enabled: no flags, no session recording, no autocapture beyond what the site sends.
 */
export const postHogRoutes: FastifyPluginAsync<{ engine: Engine; keyring: Keyring }> = async (app, { engine, keyring }) => {
  const people = new PeopleService(keyring);

  // Scoped to this plugin: JSON read as ingest reads it, also as text/plain (posthog-js); the
  // rest of the API accepts JSON only.
  acceptJsonAs(app, 'text/plain', INGEST_JSON);
  acceptJsonAs(app, 'application/json', INGEST_JSON);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, parsePostHogForm(body as string, (request.query as { compression?: string }).compression));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const query = request.query as { compression?: string };
    if (!sentGzip(request) && query.compression !== 'gzip-js') {
      if (query.compression === 'lz64') throw lz64Refused();
      if (query.compression && query.compression !== 'base64') throw new HavenError('unsupported_compression', 415, 'Send JSON, optionally gzip.');
      return payload;
    }
    return gunzipBody(request, payload);
  });

  function keyIn(request: FastifyRequest, body: Record<string, unknown>, events: PostHogEvent[]): string | undefined {
    const query = request.query as { api_key?: string; token?: string };
    for (const candidate of [body.api_key, body.token, query.api_key, query.token, events[0]?.properties?.token]) {
      if (typeof candidate === 'string' && candidate) return candidate;
    }
    return undefined;
  }

  async function capture(request: FastifyRequest) {
    const raw = request.body as unknown;
    const body = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
    const events: PostHogEvent[] = Array.isArray(raw)
      ? (raw as PostHogEvent[])
      : Array.isArray(body.batch)
        ? (body.batch as PostHogEvent[])
        : body.event !== undefined
          ? [body as PostHogEvent]
          : [];
    if (events.length === 0) throw new HavenError('missing_field', 400, 'No events in the request.', 'batch');
    if (events.length > MAX_BATCH) throw new HavenError('out_of_range', 400, `At most ${MAX_BATCH} events per request.`, 'batch');
    if (events.some((e) => !e || typeof e !== 'object' || Array.isArray(e))) throw new HavenError('invalid_type', 400, 'Each event must be an object.', 'batch');
    const token = keyIn(request, body, events);
    if (!token) throw new HavenError('unauthenticated', 401, 'Send the write key as api_key.');
    const teamId = await teamOfWriteKey(engine, token);
    const results = await ingestEvents(engine, keyring, people, teamId, events.map(fromPostHog), request.id);
    const accepted = results.filter((r) => r.status === 'accepted').length;
    return { status: 1, accepted, rejected: results.length - accepted };
  }

  // posthog-js posts from the team's own pages: any origin, write key only (never a cookie).
  app.addHook('onSend', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('cross-origin-resource-policy', 'cross-origin');
  });
  const preflight = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'POST, GET, OPTIONS')
      .header('access-control-allow-headers', 'content-type, content-encoding')
      .header('access-control-max-age', '86400')
      .send();
  for (const path of [...CAPTURE_PATHS, '/decide', '/flags']) {
    for (const p of [path, `${path}/`]) {
      app.options(p, { schema: { hide: true }, config: { anyOrigin: true } }, preflight);
      if (path === '/decide' || path === '/flags') continue;
      app.post(p, { bodyLimit: INGEST_BODY_LIMIT, schema: { hide: true }, config: { anyOrigin: true } }, capture);
      app.get(p, { schema: { hide: true } }, async () => ({ status: 1 }));
    }
  }

  const nothingEnabled = async () => ({
    featureFlags: {},
    featureFlagPayloads: {},
    flags: {},
    errorsWhileComputingFlags: false,
    sessionRecording: false,
    autocapture_opt_out: true,
    capturePerformance: false,
    heatmaps: false,
    surveys: false,
    siteApps: [],
    supportedCompression: ['gzip', 'gzip-js'],
    config: { enable_collect_everything: false },
    toolbarParams: {},
    isAuthenticated: false,
  });
  for (const p of ['/decide', '/decide/', '/flags', '/flags/']) {
    app.post(p, { bodyLimit: INGEST_BODY_LIMIT, schema: { hide: true }, config: { anyOrigin: true } }, nothingEnabled);
    app.get(p, { schema: { hide: true } }, nothingEnabled);
  }
};
