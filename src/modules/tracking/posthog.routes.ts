import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { bodyEncoding, gunzipBody } from '../../platform/http/gzip-body.js';
import { acceptJsonAs, refuseReservedEnvelopeKey } from '../../platform/http/json-body.js';
import { requireWriteKey, teamOfWriteKey } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { isPlainObject } from './event.js';
import { ingestEvents } from './ingest.js';
import { publicAnswer } from './public-answer.js';
import { asPostHogRefusal, fromCaptureV1, fromPostHog, ignoresSentAt } from './posthog.js';
import { lz64Refused, parsePostHogForm } from './posthog-form-body.js';
import { INGEST_BODY_LIMIT, INGEST_JSON, KEY_IN_PATH, MAX_BATCH } from './tracking.routes.js';

// posthog-node sends captureAi()'s events to /i/v0/ai/batch, in the batch format. Capture V1
// (/i/v1/analytics/events) has a format and answers of its own: see captureV1.
const CAPTURE_PATHS = ['/capture', '/e', '/batch', '/i/v0/e', '/i/v0/ai/batch', '/track', '/engage'];

/**
 * A capture request's body at most, after decompression: posthog-python and posthog-node's AI
 * capture fill batches up to 5 MiB and drop a batch refused with 413. Each event is still held to
 * 32 KiB.
 */
const CAPTURE_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * PostHog's capture API (`/capture`, `/batch`, `/e`, `/i/v0/e`, and older clients' `/track` and
 * `/engage`; POST only — GET is 405), so
 * posthog-js and posthog-node can point at Haven. The project key is the team's write key
 * (`api_key` / `token` in the body). Bodies may be gzip (Content-Encoding: gzip, or
 * `?compression=gzip-js`) and arrive as text/plain (how posthog-js avoids a CORS preflight), or
 * as older posthog-js's form body (`data=<base64>`, see posthog-form-body.ts). The size limit
 * applies after decompression, so a gzip bomb stops at 5 MiB. `/decide`, `/flags`, the flag
 * definitions for local evaluation and the remote configuration (`/array/{key}/config[.js]`)
 * answer that nothing is enabled: no flags, no session recording, no autocapture beyond what the
 * site sends.
 */
/**
 * CORS for posthog-js. Its XMLHttpRequest transport (older browsers, or when chosen) sends
 * credentials (`withCredentials`) unless told not to, and a browser hides the answer to a
 * credentialed request allowed as `*`: posthog-js then sees status 0, sends the batch again and
 * takes /decide for failed. So a request from a page gets its origin back, with credentials
 * allowed. Nothing here reads a cookie (the write key is the only credential), and nothing it
 * answers is secret. An opaque origin (`null`: sandboxed frames, files) gets `*`.
 */
function allowCaller(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') {
    reply.header('access-control-allow-origin', '*');
    return;
  }
  const vary = reply.getHeader('vary');
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-allow-credentials', 'true');
  reply.header('vary', vary ? `${String(vary)}, Origin` : 'Origin');
}

/** A request's events: at least one, at most MAX_BATCH (else the whole request is refused). */
function checkBatchLength(events: readonly unknown[]): void {
  if (events.length === 0) throw new HavenError('missing_field', 400, 'No events in the request.', 'batch');
  if (events.length > MAX_BATCH) throw new HavenError('out_of_range', 400, `At most ${MAX_BATCH} events per request.`, 'batch');
}

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

  // Bodies may be gzip, said by Content-Encoding (gzip, x-gzip) or by posthog-js's
  // ?compression=gzip-js; any other Content-Encoding is 415 unsupported_encoding, any other
  // compression 415 unsupported_compression. Requests without a body (GET) are not read.
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.method !== 'POST') return payload;
    // posthog-js sends a gzip body by sendBeacon (a page being left) as a bare ArrayBuffer: no
    // Content-Type at all. Such a body is read as posthog-js's text/plain is: JSON, or gzip by
    // ?compression. (Fastify picks the parser after this hook; without a type the body was lost.)
    if (request.headers['content-type'] === undefined) request.headers['content-type'] = 'text/plain';
    const encoding = bodyEncoding(request);
    const { compression } = request.query as { compression?: string };
    if (compression === 'lz64') throw lz64Refused();
    if (compression && compression !== 'base64' && compression !== 'gzip-js') throw new HavenError('unsupported_compression', 415, 'Send JSON, optionally gzip.');
    return encoding === 'gzip' || compression === 'gzip-js' ? gunzipBody(request, payload) : payload;
  });

  function keyIn(request: FastifyRequest, body: Record<string, unknown>, events: unknown[]): string | undefined {
    const query = request.query as { api_key?: string; token?: string };
    const first = events[0];
    const firstProperties = isPlainObject(first) && isPlainObject(first.properties) ? first.properties : undefined;
    for (const candidate of [body.api_key, body.token, query.api_key, query.token, firstProperties?.token]) {
      if (typeof candidate === 'string' && candidate) return candidate;
    }
    return undefined;
  }

  /**
   * A batch (`{batch: [...]}` or a JSON array) answers 200 with what was accepted and refused:
   * PostHog's libraries drop a whole batch without retrying on any 4xx but 408 and 429, so one
   * bad event must not cost its neighbours. A single event (`{event, ...}`) that is refused is
   * a 400 with its code and field, as PostHog answers an invalid event and as Haven's Segment
   * endpoints answer a refused call: the library logs it and moves on, and a developer sees why.
   */
  async function capture(request: FastifyRequest) {
    const raw = request.body as unknown;
    const body = isPlainObject(raw) ? raw : {};
    refuseReservedEnvelopeKey(body);
    const single = !Array.isArray(raw) && !Array.isArray(body.batch) && body.event !== undefined;
    const events: unknown[] = Array.isArray(raw) ? raw : Array.isArray(body.batch) ? body.batch : single ? [body] : [];
    checkBatchLength(events);
    const token = keyIn(request, body, events);
    if (!token) throw new HavenError('unauthenticated', 401, 'Send the write key as api_key.');
    const teamId = await teamOfWriteKey(engine, token);
    // When the batch was sent, by the clock that dated its events: posthog-node's `sent_at`, or
    // posthog-js's `?_=` (milliseconds since the epoch). Their difference dates each event.
    const { _: sentMs } = request.query as { _?: string };
    const sentAt = typeof body.sent_at === 'string' ? body.sent_at : sentMs && /^\d{10,15}$/.test(sentMs) ? new Date(Number(sentMs)).toISOString() : undefined;
    const incoming = events.map((e) => ({ ...fromPostHog(e), sentAt: ignoresSentAt(e) ? undefined : sentAt }));
    const results = (await ingestEvents(engine, keyring, people, teamId, incoming, request.id, { viaWriteKey: true })).map(publicAnswer);
    const [first] = results;
    if (single && first?.status === 'rejected') {
      const refusal = asPostHogRefusal(events[0], first);
      throw new HavenError(refusal.code, 400, refusal.message, refusal.field);
    }
    const accepted = results.filter((r) => r.status === 'accepted').length;
    return { status: 1, accepted, rejected: results.length - accepted };
  }

  /**
   * Capture V1 (`POST /i/v1/analytics/events`), which posthog-node uses when POSTHOG_CAPTURE_MODE=v1:
   * the write key as `Authorization: Bearer`, `{created_at, batch: [...]}`, and an answer per
   * event by its uuid — `ok`, or `drop` with the refusal (the client reports drops and does not
   * send them again). Only the envelope (no batch, too many events, no or a wrong key) fails the
   * request, with a 4xx the client does not retry.
   */
  async function captureV1(request: FastifyRequest) {
    const { teamId } = requireWriteKey(request);
    const raw = request.body as unknown;
    const body = isPlainObject(raw) ? raw : {};
    refuseReservedEnvelopeKey(body);
    const events: unknown[] = Array.isArray(body.batch) ? body.batch : [];
    checkBatchLength(events);
    const createdAt = typeof body.created_at === 'string' ? body.created_at : undefined;
    const incoming = events.map((e) => fromCaptureV1(e, createdAt));
    const answers = (await ingestEvents(engine, keyring, people, teamId, incoming, request.id, { viaWriteKey: true })).map(publicAnswer);
    const results: Record<string, { result: 'ok' } | { result: 'drop'; details: string }> = {};
    for (const answer of answers) {
      const sent = events[answer.index];
      const uuid = isPlainObject(sent) && typeof sent.uuid === 'string' ? sent.uuid : undefined;
      if (uuid === undefined) continue; // the client reads answers by uuid; one it cannot ask about is not answered
      if (answer.status === 'accepted') {
        // Stored once under its uuid: the answer is ok, whatever another event sent with it met.
        results[uuid] = { result: 'ok' };
      } else if (results[uuid] === undefined) {
        const refusal = asPostHogRefusal(sent, answer);
        results[uuid] = { result: 'drop', details: `${refusal.code}: ${refusal.message}` };
      }
    }
    return { results };
  }

  /** Events arrive by POST only: a query string ends up in access logs, so events in one are not taken. */
  const postOnly = async () => {
    throw new HavenError('method_not_allowed', 405, 'Send events with POST; events in a URL are not accepted.', undefined, { allow: 'POST, OPTIONS' });
  };

  // posthog-js posts from the team's own pages: any origin, write key only (never a cookie).
  app.addHook('onSend', async (request, reply) => {
    allowCaller(request, reply);
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
      app.post(p, { bodyLimit: CAPTURE_BODY_LIMIT, schema: { hide: true }, config: { anyOrigin: true, ingest: true } }, capture);
      app.get(p, { schema: { hide: true } }, postOnly);
    }
  }

  for (const p of ['/i/v1/analytics/events', '/i/v1/analytics/events/']) {
    app.post(p, { bodyLimit: CAPTURE_BODY_LIMIT, schema: { hide: true }, config: { anyOrigin: true, ingest: true } }, captureV1);
    app.get(p, { schema: { hide: true } }, postOnly);
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
  // The same answer for everyone: no key is looked up, and a header another client adds
  // (Authorization) is not read.
  for (const p of ['/decide', '/decide/', '/flags', '/flags/']) {
    app.post(p, { bodyLimit: INGEST_BODY_LIMIT, schema: { hide: true }, config: { anyOrigin: true, noCredentials: true } }, nothingEnabled);
    app.get(p, { schema: { hide: true }, config: { noCredentials: true } }, nothingEnabled);
  }

  // posthog-node given a personal API key evaluates flags locally: at start-up and then every
  // poll it fetches the definitions (`/flags/definitions`; before 5.x
  // `/api/feature_flag/local_evaluation`) with `Authorization: Bearer <personal key>` and the
  // project key in `?token=`. Neither key is Haven's: the header is not read (noCredentials, so
  // it is no 401, which the client logs and backs off on) and the query is never logged (the
  // request log names the route only). The answer is the definitions as the client parses them:
  // no flags, no cohorts, no group types.
  const noDefinitions = async () => ({ flags: [], group_type_mapping: {}, cohorts: {} });
  for (const p of ['/flags/definitions', '/flags/definitions/', '/api/feature_flag/local_evaluation', '/api/feature_flag/local_evaluation/']) {
    app.get(p, { schema: { hide: true }, config: { noCredentials: true } }, noDefinitions);
  }

  // posthog-js's remote configuration, fetched at start-up from /array/{key}/config.js (a script
  // that sets window._POSTHOG_REMOTE_CONFIG[key]) or, failing that, /array/{key}/config (JSON).
  // The same answer as /decide: nothing enabled, and no feature flags to ask for. Nothing is
  // looked up (the answer is the same for every key), and the key is never logged: the request
  // log names the route pattern only. Only a key that can be one (base64url) is echoed into the
  // script, as a JSON string.
  const params = { type: 'object', properties: { token: { type: 'string', pattern: KEY_IN_PATH } }, required: ['token'] };
  const cached = (reply: FastifyReply) => reply.header('cache-control', 'private, max-age=300');
  app.get('/array/:token/config', { schema: { hide: true, params } }, async (_request, reply) => {
    void cached(reply);
    return REMOTE_CONFIG;
  });
  app.get('/array/:token/config.js', { schema: { hide: true, params } }, async (request, reply) => {
    const key = JSON.stringify((request.params as { token: string }).token);
    const value = JSON.stringify({ config: REMOTE_CONFIG, siteApps: [] });
    void cached(reply).type('text/javascript; charset=utf-8');
    return `(function () {\n  window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {};\n  window._POSTHOG_REMOTE_CONFIG[${key}] = ${value};\n})();\n`;
  });
  for (const p of ['/array/:token/config', '/array/:token/config.js']) {
    app.options(p, { schema: { hide: true }, config: { anyOrigin: true } }, preflight);
  }
};

/** posthog-js's remote configuration with everything off: no flags, recording, autocapture, surveys or heatmaps. */
const REMOTE_CONFIG = {
  supportedCompression: ['gzip', 'gzip-js'],
  hasFeatureFlags: false,
  autocapture_opt_out: true,
  autocaptureExceptions: false,
  captureDeadClicks: false,
  capturePerformance: false,
  sessionRecording: false,
  heatmaps: false,
  surveys: false,
};
