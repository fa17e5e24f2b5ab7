import { randomUUID } from 'node:crypto';
import { audit } from '../../platform/audit/index.js';
import { randomToken, tokenHash, uuidFromHex } from '../../platform/crypto/tokens.js';
import { RememberedUntilChanged } from '../../platform/db/changes.js';
import { withTeam } from '../../platform/db/with-team.js';
import { notFound } from '../../platform/http/errors.js';
import { outranks, roleOfKeyScope } from './permissions.js';
/** Announced when a key is revoked: every node forgets it (any change of its team does too). */
const API_KEY_REVOKED = 'api_key.revoked';
/**
 * `hv_wk_…` (public write key) or `hv_sk_…` (secret key): 32 random base64url characters (192 bits)
 * then the team id in hex. The team id lets a request find its team before any tenant row is
 * read, so key lookup stays inside withTeam like every other tenant query.
 */
const KEY_FORMAT = /^hv_(wk|sk)_([A-Za-z0-9_-]{32})([0-9a-f]{32})$/;
export function parseApiKey(token) {
    const m = KEY_FORMAT.exec(token);
    if (!m)
        return null;
    return { kind: m[1] === 'wk' ? 'write' : 'secret', teamId: uuidFromHex(m[3]) };
}
const toView = (r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    scope: r.scope,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    createdBy: r.created_by,
});
const COLUMNS = `id, name, kind, scope, prefix, created_at, last_used_at, revoked_at, created_by`;
/** Create a key. The token is returned this once; only its SHA-256 is stored. */
export async function createApiKey(tx, teamId, input) {
    const scope = input.kind === 'write' ? 'ingest' : (input.scope ?? 'read');
    const secret = randomToken(24);
    const token = `hv_${input.kind === 'write' ? 'wk' : 'sk'}_${secret}${teamId.replaceAll('-', '')}`;
    const prefix = token.slice(0, 14);
    const r = await tx.query(`INSERT INTO api_keys (team_id, id, name, kind, scope, prefix, token_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`, [teamId, randomUUID(), input.name, input.kind, scope, prefix, tokenHash(token), input.createdBy]);
    return { apiKey: toView(r.rows[0]), token };
}
export async function listApiKeys(tx, teamId) {
    const r = await tx.query(`SELECT ${COLUMNS} FROM api_keys WHERE team_id = $1 ORDER BY created_at DESC, id`, [teamId]);
    return r.rows.map(toView);
}
export async function revokeApiKey(tx, teamId, id) {
    const r = await tx.query(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE team_id = $1 AND id = $2 RETURNING ${COLUMNS}`, [teamId, id]);
    if (!r.rows[0])
        throw notFound('API key');
    await tx.announce({ topic: API_KEY_REVOKED, teamId, id });
    return toView(r.rows[0]);
}
/** Does a secret key of `scope` hold more than its maker, now of `makerRole` (null: no longer a member)? */
export function exceedsMaker(scope, makerRole) {
    return makerRole === null || outranks(roleOfKeyScope(scope), makerRole);
}
/**
 * A secret key never holds more than the member who made it. When they leave the team (`role`
 * null) every secret key they made is revoked; when their role drops below a key's scope (an
 * admin key of someone now a member or viewer), that key is. Write keys stay: they are public,
 * can only send events, and belong to the team's sites. Returns the keys revoked now.
 */
export async function revokeKeysBeyondMaker(tx, teamId, maker, why) {
    const { userId, role } = maker;
    const scopes = ['read', 'admin'].filter((scope) => exceedsMaker(scope, role));
    if (scopes.length === 0)
        return [];
    const r = await tx.query(`UPDATE api_keys SET revoked_at = now()
      WHERE team_id = $1 AND created_by = $2 AND kind = 'secret' AND scope = ANY($3::text[]) AND revoked_at IS NULL
      RETURNING ${COLUMNS}`, [teamId, userId, scopes]);
    for (const key of r.rows)
        await tx.announce({ topic: API_KEY_REVOKED, teamId, id: key.id });
    await audit.recordMany(tx, teamId, r.rows.map((key) => ({ teamId, actor: why.actor, action: 'api_key.revoked', target: { type: 'api_key', id: key.id }, requestId: why.requestId, details: { reason: why.reason } })));
    return r.rows.map(toView);
}
/**
 * Live write keys seen lately, by token hash, per engine. A write key is public (it sits in web
 * pages) and can only send events, and every ingest request would otherwise open a transaction
 * just to find it. Revoking a key or cancelling its team is announced (`api_key.revoked`,
 * `team.state`): every node forgets the key when that commits. Nothing is remembered while a node
 * cannot hear other nodes' changes (changes.ts); WRITE_KEY_TTL_MS bounds the rest. Secret keys are
 * always looked up.
 */
const WRITE_KEY_TTL_MS = 60_000;
const writeKeyCaches = new WeakMap();
function writeKeysOf(engine) {
    let cache = writeKeyCaches.get(engine);
    if (!cache) {
        cache = new RememberedUntilChanged(engine.changes, {
            ttlMs: WRITE_KEY_TTL_MS,
            max: 10_000,
            affectedBy: (key, _hash, change) => key.teamId === change.teamId && (change.topic === API_KEY_REVOKED ? change.id === key.id : change.topic.startsWith('team.')),
        });
        writeKeyCaches.set(engine, cache);
    }
    return cache;
}
/** Resolve a bearer token to its live key, or null. Touches last_used_at at most once a minute. */
export async function resolveApiKey(engine, token) {
    const parsed = parseApiKey(token);
    if (!parsed)
        return null;
    const hash = tokenHash(token);
    const hashHex = hash.toString('hex');
    const writeKeys = parsed.kind === 'write' ? writeKeysOf(engine) : null;
    const recent = writeKeys?.get(hashHex);
    if (recent)
        return recent;
    const mark = writeKeys?.mark() ?? 0;
    const key = await withTeam(engine, parsed.teamId, async (tx) => {
        const r = await tx.query(`SELECT k.id, k.kind, k.scope, (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute') AS stale,
              t.cancelled_at IS NOT NULL AS cancelled
         FROM api_keys k JOIN teams t ON t.team_id = k.team_id
        WHERE k.team_id = $1 AND k.token_hash = $2 AND k.revoked_at IS NULL`, [parsed.teamId, hash]);
        const row = r.rows[0];
        if (!row)
            return null;
        if (row.stale)
            await tx.query(`UPDATE api_keys SET last_used_at = now() WHERE team_id = $1 AND id = $2`, [parsed.teamId, row.id]);
        return { key: { id: row.id, teamId: parsed.teamId, kind: row.kind, scope: row.scope }, cancelled: row.cancelled };
    });
    if (!key)
        return null;
    // A cancelled team's keys are always looked up: its deletion then finds none remembered anywhere.
    if (key.key.kind === 'write' && !key.cancelled)
        writeKeys?.remember(hashHex, key.key, mark);
    return key.key;
}
//# sourceMappingURL=api-keys.js.map