import fp from 'fastify-plugin';
import { sameBytes } from '../../platform/crypto/tokens.js';
import { HavenError, forbidden, unauthenticated } from '../../platform/http/errors.js';
import { resolveApiKey } from './api-keys.js';
import { roleAllows, roleOfKeyScope } from './permissions.js';
import { SESSION_COOKIE, resolveSession } from './sessions.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS } from './sign-in-throttle.js';
import { allowedWhileCancelled, deletionDueAt, teamReadOnly } from './team-lifecycle.js';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Routes that start a session (sign-in, sign-up) set `config: { csrfExempt: true }`: they act on
 * no existing session, and the Origin check still refuses cross-site sign-in.
 *
 * Resolves the caller on every request: a bearer key (`Authorization: Bearer hv_…`) or the session
 * cookie. Cookie-authenticated writes must carry the session's CSRF token in `X-CSRF-Token`, and
 * any browser write must come from Haven's own origin.
 */
export const authenticate = fp(async (app, opts) => {
    app.decorateRequest('principal', null);
    app.decorateRequest('teamDeletionDueAt', null);
    app.addHook('onRequest', async (request) => {
        const unsafe = !SAFE_METHODS.has(request.method);
        // Public write-key routes (Segment/PostHog ingest, the browser snippet) take posts from any
        // web page; they authenticate by the write key alone, never by a session cookie.
        const config = request.routeOptions.config;
        const anyOrigin = config?.anyOrigin === true;
        if (unsafe && !anyOrigin)
            refuseCrossOrigin(request);
        if (config?.noCredentials === true)
            return;
        const bearer = bearerToken(request);
        if (bearer !== undefined) {
            const key = await resolveApiKey(opts.engine, bearer);
            if (!key)
                throw new HavenError('invalid_api_key', 401, 'The API key is not valid or was revoked.');
            request.principal =
                key.kind === 'write'
                    ? { kind: 'writeKey', keyId: key.id, teamId: key.teamId }
                    : { kind: 'secretKey', keyId: key.id, teamId: key.teamId, role: roleOfKeyScope(key.scope) };
            request.teamDeletionDueAt = await deletionDueAt(opts.engine, key.teamId);
            return;
        }
        const token = request.cookies[SESSION_COOKIE];
        if (!token || anyOrigin)
            return;
        const session = await resolveSession(opts.engine, opts.sessions, token);
        if (!session)
            return; // expired or unknown: treated as signed out (routes answer 401 session_expired)
        const csrfExempt = request.routeOptions.config?.csrfExempt === true;
        if (unsafe && !csrfExempt) {
            const sent = request.headers['x-csrf-token'];
            if (typeof sent !== 'string' || !sameBytes(Buffer.from(sent), Buffer.from(session.csrfToken))) {
                throw new HavenError('csrf_failed', 403, 'Missing or wrong X-CSRF-Token header for a signed-in write.');
            }
        }
        request.principal = { kind: 'session', ...session, sessionHash: session.tokenHash };
        if (session.teamId)
            request.teamDeletionDueAt = await deletionDueAt(opts.engine, session.teamId);
    });
}, { name: 'haven-authenticate', dependencies: ['@fastify/cookie'] });
/**
 * The API key of a request: `Authorization: Bearer <key>`, or HTTP Basic with the key as the user
 * name and no password — how Segment's libraries send a write key.
 */
function bearerToken(request) {
    const header = request.headers.authorization;
    if (!header)
        return undefined;
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer)
        return bearer[1];
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (basic) {
        const user = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
        if (user)
            return user;
    }
    throw new HavenError('invalid_authorization', 401, 'Use "Authorization: Bearer <API key>" (or Basic with the write key as user name).');
}
/**
 * Browsers send Origin on cross-site writes; a mismatch with this server's own origin (scheme,
 * host and port, as the client reached it) is a forged request (sign-in CSRF included) — a page
 * served over plain http on the same host is another origin too. Non-browser clients send no
 * Origin and are authenticated by key.
 */
function refuseCrossOrigin(request) {
    const origin = request.headers.origin;
    if (!origin || origin === 'null') {
        if (origin === 'null')
            throw new HavenError('cross_origin', 403, 'Cross-origin writes are refused.');
        return;
    }
    const refused = new HavenError('cross_origin', 403, 'Cross-origin writes are refused.');
    let from;
    let to;
    try {
        from = new URL(origin);
        // X-Forwarded-Proto and -Host when behind a proxy (operations.md: the proxy must set them).
        to = new URL(`${request.protocol}://${request.host}`);
    }
    catch {
        throw refused;
    }
    // URL normalises default ports away on both sides ("localhost:80" and "http://localhost").
    if (from.origin !== to.origin)
        throw refused;
}
/** The signed-in user (session only: API keys do not act as a user). */
export function requireUser(request) {
    const p = request.principal;
    if (p?.kind === 'session')
        return p;
    if (p)
        throw forbidden('This needs a signed-in user, not an API key.');
    throw request.cookies[SESSION_COOKIE]
        ? new HavenError('session_expired', 401, 'Your session has ended; sign in again.')
        : unauthenticated();
}
/** Ingest routes: a public write key only (a secret key is refused, so it never ends up in a web page's traffic by habit). */
export function requireWriteKey(request) {
    const p = request.principal;
    if (p?.kind === 'writeKey') {
        if (request.teamDeletionDueAt)
            throw teamReadOnly(request.teamDeletionDueAt);
        return { teamId: p.teamId, keyId: p.keyId };
    }
    if (p?.kind === 'secretKey')
        throw secretKeyForEvents();
    if (p)
        throw new HavenError('write_key_required', 403, 'Send events with the team write key (hv_wk_…).');
    throw new HavenError('unauthenticated', 401, 'Send the write key: "Authorization: Bearer hv_wk_…" or Basic with it as user name.');
}
const secretKeyForEvents = () => new HavenError('write_key_required', 403, 'Send events with the public write key (hv_wk_…), not a secret key.');
/**
 * The team of a write key sent in a request body (Segment's `writeKey`, PostHog's `api_key`), with
 * the same answers as a header: unknown or revoked → 401, a secret key → 403.
 */
export async function teamOfWriteKey(engine, token) {
    const key = await resolveApiKey(engine, token);
    if (!key)
        throw new HavenError('invalid_api_key', 401, 'The API key is not valid or was revoked.');
    if (key.kind !== 'write')
        throw secretKeyForEvents();
    const due = await deletionDueAt(engine, key.teamId);
    if (due)
        throw teamReadOnly(due);
    return key.teamId;
}
/** Check that the caller may perform `action` on their team, and say who they are. */
export function requireTeam(request, action) {
    const p = request.principal;
    if (!p) {
        throw request.cookies[SESSION_COOKIE]
            ? new HavenError('session_expired', 401, 'Your session has ended; sign in again.')
            : unauthenticated();
    }
    if (p.kind === 'writeKey') {
        throw new HavenError('write_key_not_allowed', 403, 'A public write key can only send events; use a secret key.');
    }
    if (p.kind === 'secretKey') {
        if (!roleAllows(p.role, action))
            throw new HavenError('insufficient_scope', 403, 'This API key is not scoped for this.');
        if (request.teamDeletionDueAt && !allowedWhileCancelled(request.method, action))
            throw teamReadOnly(request.teamDeletionDueAt);
        return { teamId: p.teamId, role: p.role, userId: null, keyId: p.keyId };
    }
    if (!p.teamId || !p.role)
        throw new HavenError('no_active_team', 403, 'Choose a team first.');
    if (!roleAllows(p.role, action))
        throw forbidden();
    if (request.teamDeletionDueAt && !allowedWhileCancelled(request.method, action))
        throw teamReadOnly(request.teamDeletionDueAt);
    return { teamId: p.teamId, role: p.role, userId: p.userId, keyId: null };
}
export function clearSessionCookie(reply) {
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: true, sameSite: 'lax' });
}
/** The device cookie (sign-in-throttle.ts): sent to the sign-in route only, kept for months. */
export function setDeviceCookie(reply, token) {
    reply.setCookie(DEVICE_COOKIE, token, {
        path: '/api/v1/auth/sign-in',
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        maxAge: DEVICE_COOKIE_DAYS * 86_400,
    });
}
/** No Max-Age or Expires: closing the browser ends the session. */
export function setSessionCookie(reply, token) {
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, secure: true, sameSite: 'lax' });
}
//# sourceMappingURL=authenticate.js.map