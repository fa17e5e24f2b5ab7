import { ErrorBody } from './schemas.js';
/** Routes anyone may call: no credential. */
const PUBLIC = new Set(['/api/v1/auth/sign-up', '/api/v1/auth/sign-in', '/api/v1/invitations/accept']);
/** Writes a cancelled team still takes (accounts/team-lifecycle.ts, by action): no 423. */
const WRITABLE_WHILE_CANCELLED = new Set([
    'POST /api/v1/team/cancellation',
    'DELETE /api/v1/team/cancellation',
    'POST /api/v1/privacy/subjects/find',
    'POST /api/v1/privacy/exports',
]);
/** A signed-in person's own routes: a session, never an API key. */
const SESSION_ONLY = /^\/api\/v1\/(?:auth\/|session(?:\/|$)|teams$)/;
/**
 * What the published OpenAPI document says of a route beyond its own schema (the document only:
 * validation and serialisation are unchanged). Who may call it — nobody in particular, a session,
 * the write key (ingest), or a secret key or session — and the answers every route of its kind can
 * give whatever its handler does: 429 from the rate limit; 413 and 415 from the body parser; 423
 * while the team is cancelled (writes); 401 and 403 from authentication.
 */
export function documentAnswers(schema, url, methods) {
    const response = { ...(schema.response ?? {}) };
    const add = (...statuses) => {
        for (const s of statuses)
            if (!(String(s) in response) && !(s in response))
                response[s] = ErrorBody;
    };
    // The Segment endpoints: the write key, as the Basic user name or `writeKey` in the body.
    if (url.startsWith('/v1/')) {
        add(429, 401, 403);
        if (schema.body)
            add(413, 415);
        return { ...schema, response, security: [{ writeKeyBasic: [] }, { writeKey: [] }] };
    }
    if (!url.startsWith('/api/v1/'))
        return schema;
    add(429);
    if (schema.body)
        add(413, 415);
    const isPublic = PUBLIC.has(url);
    if (!isPublic)
        add(401, 403);
    const writes = methods.filter((m) => m !== 'GET' && m !== 'HEAD');
    if (writes.some((m) => !WRITABLE_WHILE_CANCELLED.has(`${m} ${url}`)) && !isPublic && !SESSION_ONLY.test(url))
        add(423);
    const security = isPublic
        ? []
        : url === '/api/v1/events'
            ? [{ writeKey: [] }, { bearer: [] }]
            : SESSION_ONLY.test(url)
                ? [{ session: [] }]
                : [{ bearer: [] }, { session: [] }];
    return { ...schema, response, security };
}
//# sourceMappingURL=openapi-answers.js.map