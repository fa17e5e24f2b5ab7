import { randomUUID } from 'node:crypto';
import type { Engine, Tx } from '../../platform/db/engine.js';
import { withTeam } from '../../platform/db/with-team.js';
import { randomToken, tokenHash, uuidFromHex } from '../../platform/crypto/tokens.js';
import { notFound } from '../../platform/http/errors.js';

export type ApiKeyKind = 'write' | 'secret';
export type ApiKeyScope = 'ingest' | 'read' | 'admin';

export interface ApiKeyView {
  id: string;
  name: string;
  kind: ApiKeyKind;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/**
 * `hv_wk_…` (public write key) or `hv_sk_…` (secret key): 32 random base64url characters (192 bits)
 * then the team id in hex. The team id lets a request find its team before any tenant row is
 * read, so key lookup stays inside withTeam like every other tenant query.
 */
const KEY_FORMAT = /^hv_(wk|sk)_([A-Za-z0-9_-]{32})([0-9a-f]{32})$/;

export function parseApiKey(token: string): { kind: ApiKeyKind; teamId: string } | null {
  const m = KEY_FORMAT.exec(token);
  if (!m) return null;
  return { kind: m[1] === 'wk' ? 'write' : 'secret', teamId: uuidFromHex(m[3]!) };
}

interface ApiKeyRow {
  id: string;
  name: string;
  kind: ApiKeyKind;
  scope: ApiKeyScope;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toView = (r: ApiKeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  scope: r.scope,
  prefix: r.prefix,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

const COLUMNS = `id, name, kind, scope, prefix, created_at, last_used_at, revoked_at`;

/** Create a key. The token is returned this once; only its SHA-256 is stored. */
export async function createApiKey(
  tx: Tx,
  teamId: string,
  input: { name: string; kind: ApiKeyKind; scope?: 'read' | 'admin' | undefined; createdBy: string | null },
): Promise<{ apiKey: ApiKeyView; token: string }> {
  const scope: ApiKeyScope = input.kind === 'write' ? 'ingest' : (input.scope ?? 'read');
  const secret = randomToken(24);
  const token = `hv_${input.kind === 'write' ? 'wk' : 'sk'}_${secret}${teamId.replaceAll('-', '')}`;
  const prefix = token.slice(0, 14);
  const r = await tx.query<ApiKeyRow>(
    `INSERT INTO api_keys (team_id, id, name, kind, scope, prefix, token_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [teamId, randomUUID(), input.name, input.kind, scope, prefix, tokenHash(token), input.createdBy],
  );
  return { apiKey: toView(r.rows[0]!), token };
}

export async function listApiKeys(tx: Tx, teamId: string): Promise<ApiKeyView[]> {
  const r = await tx.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE team_id = $1 ORDER BY created_at DESC, id`,
    [teamId],
  );
  return r.rows.map(toView);
}

export async function revokeApiKey(tx: Tx, teamId: string, id: string): Promise<ApiKeyView> {
  const r = await tx.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE team_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [teamId, id],
  );
  if (!r.rows[0]) throw notFound('API key');
  writeKeys.forget(id);
  return toView(r.rows[0]);
}

export interface ResolvedApiKey {
  id: string;
  teamId: string;
  kind: ApiKeyKind;
  scope: ApiKeyScope;
}

/**
 * Live write keys seen in the last few seconds, by token hash. A write key is public (it sits in
 * web pages) and can only send events, and every ingest request would otherwise open a
 * transaction just to find it. Revoking forgets it on this node at once; on other nodes a revoked
 * write key works for at most WRITE_KEY_TTL_MS more. Secret keys are always looked up.
 */
const WRITE_KEY_TTL_MS = 5_000;

class RecentWriteKeys {
  private readonly byHash = new Map<string, { key: ResolvedApiKey; until: number }>();

  get(hash: string): ResolvedApiKey | undefined {
    const hit = this.byHash.get(hash);
    if (!hit) return undefined;
    if (hit.until > performance.now()) return hit.key;
    this.byHash.delete(hash);
    return undefined;
  }

  remember(hash: string, key: ResolvedApiKey): void {
    if (this.byHash.size >= 10_000) this.byHash.clear();
    this.byHash.set(hash, { key, until: performance.now() + WRITE_KEY_TTL_MS });
  }

  forget(keyId: string): void {
    for (const [hash, hit] of this.byHash) if (hit.key.id === keyId) this.byHash.delete(hash);
  }

  forgetTeam(teamId: string): void {
    for (const [hash, hit] of this.byHash) if (hit.key.teamId === teamId) this.byHash.delete(hash);
  }
}

const writeKeys = new RecentWriteKeys();

/** Resolve a bearer token to its live key, or null. Touches last_used_at at most once a minute. */
export async function resolveApiKey(engine: Engine, token: string): Promise<ResolvedApiKey | null> {
  const parsed = parseApiKey(token);
  if (!parsed) return null;
  const hash = tokenHash(token);
  const hashHex = hash.toString('hex');
  if (parsed.kind === 'write') {
    const recent = writeKeys.get(hashHex);
    if (recent) return recent;
  }
  const key = await withTeam(engine, parsed.teamId, async (tx) => {
    const r = await tx.query<{ id: string; kind: ApiKeyKind; scope: ApiKeyScope; stale: boolean; cancelled: boolean }>(
      `SELECT k.id, k.kind, k.scope, (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute') AS stale,
              t.cancelled_at IS NOT NULL AS cancelled
         FROM api_keys k JOIN teams t ON t.team_id = k.team_id
        WHERE k.team_id = $1 AND k.token_hash = $2 AND k.revoked_at IS NULL`,
      [parsed.teamId, hash],
    );
    const row = r.rows[0];
    if (!row) return null;
    if (row.stale) await tx.query(`UPDATE api_keys SET last_used_at = now() WHERE team_id = $1 AND id = $2`, [parsed.teamId, row.id]);
    return { key: { id: row.id, teamId: parsed.teamId, kind: row.kind, scope: row.scope }, cancelled: row.cancelled };
  });
  if (!key) return null;
  // A cancelled team's keys are always looked up: its deletion then finds none remembered anywhere.
  if (key.key.kind === 'write' && !key.cancelled) writeKeys.remember(hashHex, key.key);
  return key.key;
}

/** Forget a team's remembered write keys (it was just cancelled on this node). */
export function forgetWriteKeysOf(teamId: string): void {
  writeKeys.forgetTeam(teamId);
}
