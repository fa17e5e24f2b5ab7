import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import Fastify, {} from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { documentAnswers } from './openapi-answers.js';
import { defaultsNotRequired } from './openapi-defaults.js';
import { trustProxy } from '../config.js';
import { HavenError } from './errors.js';
import { SubjectKeyGone } from '../crypto/keyring.js';
import { registerStrictJson } from './json-body.js';
import { ErrorBody } from './schemas.js';
import { registerValidation } from './validation.js';
import { registerWebApp } from './web-app.js';
/**
 * The API reference page's policy: Swagger UI's own files only. Its one inline style (the colours
 * of Swagger's small logo, which React inserts as a style element) is allowed by its hash; the
 * Chromium test of the page fails on any policy violation, so an upgrade that changes it shows.
 */
const API_DOCS_CSP = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"],
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'font-src': ["'self'", 'data:'],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
};
/** Event ingest's requests per minute and client address, as a multiple of the API's. */
export const INGEST_RATE_FACTOR = 10;
/** API request bodies; ingest routes set their own larger limit. */
export const API_BODY_LIMIT = 64 * 1024;
/** The API's paths: /api/v1 and everything under it (not /api/docs). */
const API_PATH = /^\/api\/v1(?:[/?]|$)/;
/** The Fastify app: platform middleware, then each module's hooks and routes under /api/v1, and the web app at /. */
export async function buildServer(ctx, modules, options = {}) {
    const app = Fastify({
        loggerInstance: ctx.logger,
        genReqId: () => randomUUID(),
        requestIdHeader: false,
        bodyLimit: API_BODY_LIMIT,
        // One-click unsubscribe tokens (an AEAD ciphertext) are longer than the default 100.
        routerOptions: { maxParamLength: 300 },
        trustProxy: trustProxy(ctx.config),
        // A broken percent escape or an over-long parameter, found before any route: the API's own
        // error body, and no echo of the address (Fastify's would quote it, a token with it).
        frameworkErrors: (error, _request, reply) => {
            const known = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
                ? new HavenError('uri_too_long', 414, 'A part of the address is too long.')
                : BROKEN_URL;
            void reply.code(known.status).header('cache-control', 'no-store').send({ error: { code: known.code, message: known.message } });
        },
        clientErrorHandler: answerClientError,
        ...(options.https ? { https: options.https } : {}),
    });
    registerStrictJson(app);
    registerValidation(app);
    app.addSchema(ErrorBody);
    app.addHook('onRequest', async (request, reply) => {
        reply.header('x-request-id', request.id);
        // API answers carry personal data (and errors, the 404s of unknown paths and refusals are
        // answers too): no browser or proxy cache may keep them. Set first, before any hook can
        // refuse the request, so every response has it; a route that must differ sets its own.
        if (API_PATH.test(request.url))
            reply.header('cache-control', 'no-store');
        // The router checks the path's escapes only; a query string's are decoded leniently (`%ZZ`
        // would be searched for as text), so they are checked here, as strictly as the path's.
        if (hasBrokenQueryEscape(request.url)) {
            reply.header('cache-control', 'no-store');
            throw BROKEN_URL;
        }
    });
    app.setErrorHandler((error, request, reply) => {
        const known = toHavenError(error);
        if (known.status >= 500)
            request.log.error({ err: error }, 'request failed');
        if (known.headers)
            void reply.headers(known.headers);
        const body = { error: { code: known.code, message: known.message, ...(known.field ? { field: known.field } : {}) } };
        return reply.code(known.status).send(body);
    });
    app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: { code: 'not_found', message: 'No such endpoint.' } }));
    await app.register(helmet, {
        hsts: { maxAge: 31_536_000, includeSubDomains: true },
        contentSecurityPolicy: {
            directives: {
                defaultSrc: ["'self'"],
                scriptSrc: ["'self'"],
                styleSrc: ["'self'"],
                imgSrc: ["'self'", 'data:'],
                connectSrc: ["'self'"],
                frameAncestors: ["'none'"],
                formAction: ["'self'"],
                objectSrc: ["'none'"],
                baseUri: ["'self'"],
            },
        },
        referrerPolicy: { policy: 'no-referrer' },
    });
    await app.register(cookie);
    await app.register(rateLimit, {
        global: true,
        // Event ingest counts apart, ten times higher: one office or campus behind one address sends
        // every visitor's page views, and posthog-js drops a batch refused with 429.
        // A client gone before its request is handled has no address left: it counts as one.
        keyGenerator: (request) => `${request.routeOptions.config?.ingest ? 'ingest' : 'api'}|${request.ip ? normalizeIP(request.ip) : 'gone'}`,
        max: (_request, key) => (key.startsWith('ingest|') ? INGEST_RATE_FACTOR : 1) * ctx.config.rateLimitPerMinute,
        timeWindow: '1 minute',
        errorResponseBuilder: (_request, context) => new HavenError('rate_limited', 429, `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.`, undefined, {
            'retry-after': String(Math.ceil(context.ttl / 1000)),
        }),
    });
    await app.register(swagger, {
        openapi: {
            info: { title: 'Haven API', version: '1', description: 'Privacy-first CRM. Errors: {"error":{"code","message","field"}}; codes in docs/errors.md.' },
            components: {
                securitySchemes: {
                    bearer: { type: 'http', scheme: 'bearer', description: 'A secret API key (hv_sk_…).' },
                    writeKey: { type: 'http', scheme: 'bearer', description: 'The public write key (hv_wk_…): sends events, nothing else.' },
                    writeKeyBasic: { type: 'http', scheme: 'basic', description: 'The write key as the Basic user name, no password (Segment libraries; or `writeKey` in the body).' },
                    session: { type: 'apiKey', in: 'cookie', name: '__Host-haven_session' },
                },
            },
            security: [{ bearer: [] }, { session: [] }],
        },
        transform: ({ schema, url, route }) => {
            if (!schema)
                return { schema, url };
            const out = documentAnswers({ ...schema }, url, [route.method].flat());
            if (schema.body)
                out.body = defaultsNotRequired(schema.body);
            if (schema.querystring)
                out.querystring = defaultsNotRequired(schema.querystring);
            return { schema: out, url };
        },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: API_DOCS_CSP });
    app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
        try {
            await ctx.engine.transaction((tx) => tx.query('SELECT 1'));
            return { status: 'ready' };
        }
        catch {
            return reply.code(503).send({ error: { code: 'not_ready', message: 'The database is not reachable.' } });
        }
    });
    for (const m of modules)
        if (m.hooks)
            await m.hooks(app, ctx);
    for (const m of modules)
        if (m.rootRoutes)
            await m.rootRoutes(app, ctx);
    await app.register(async (api) => {
        for (const m of modules)
            if (m.routes)
                await m.routes(api, ctx);
    }, { prefix: '/api/v1' });
    await registerWebApp(app);
    return app;
}
const BROKEN_URL = new HavenError('invalid_url', 400, 'The address is not a valid URL (a broken percent escape?).');
function hasBrokenQueryEscape(url) {
    const start = url.indexOf('?');
    if (start < 0 || !url.includes('%', start))
        return false;
    try {
        decodeURIComponent(url.slice(start + 1));
        return false;
    }
    catch {
        return true;
    }
}
/**
 * A request Node's HTTP parser refused (a bad Content-Length, headers too large, too slow): the
 * API's error body, written on the socket, which then closes (as Fastify's default does).
 */
function answerClientError(error, socket) {
    if (error.code === 'ECONNRESET' || socket.destroyed)
        return;
    const [status, code, message] = error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers are too large.']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'request_timeout', 'The request took too long to arrive.']
            : [400, 'invalid_request', 'The request is not valid HTTP.'];
    this.log.trace({ err: error }, 'client error');
    const body = JSON.stringify({ error: { code, message } });
    if (socket.writable) {
        socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(error);
}
/** Fastify's own errors (parsing, limits) become Haven errors with stable codes. */
function toHavenError(error) {
    if (error instanceof HavenError)
        return error;
    // A write for a person whose erasure committed while the request was on its way.
    if (error instanceof SubjectKeyGone)
        return new HavenError('not_found', 404, 'No such person.');
    const status = error.statusCode ?? 500;
    switch (error.code) {
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
            return new HavenError('payload_too_large', 413, 'The request body is too large.');
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
            return new HavenError('unsupported_media_type', 415, 'Send the body as application/json.');
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
            return new HavenError('malformed_json', 400, 'The request body is empty; send a JSON object.');
        case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
            return new HavenError('invalid_request', 400, 'The Content-Length does not match the body.');
    }
    if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
        return new HavenError('invalid_compression', 400, 'The body is not valid gzip.');
    }
    if (status === 429)
        return new HavenError('rate_limited', 429, 'Too many requests.');
    if (status >= 400 && status < 500)
        return new HavenError('invalid_request', status, 'The request is not valid.');
    return new HavenError('internal_error', 500, 'Something went wrong on our side. It has been logged with the request id.');
}
//# sourceMappingURL=server.js.map