import { withTeam } from '../../platform/db/with-team.js';
import type { HavenContext } from '../../platform/module.js';
import { exceedsMaker, revokeKeysBeyondMaker } from './api-keys.js';
import type { Role } from './permissions.js';

/**
 * Revoke, at start, the secret keys that hold more than their maker now does: keys whose maker left
 * the team, was removed or deleted their account, or was given a role below the key's scope, before
 * Haven revoked such keys as it happened (or by a change made outside Haven). The same rule and the
 * same audited revocation as then (`revokeKeysBeyondMaker`), with the reason `maker_not_member` for
 * a maker no longer in the team (which of the three is not known) and `role_changed` otherwise.
 * Keys made with a key count as made by the member behind that key (recordMakersOfKeysMadeByKeys
 * first). Team by team, like the other start-up passes: a database role that cannot see every
 * team revokes what it sees. Nothing to do costs two queries.
 */
export async function revokeOutlivedKeys(ctx: Pick<HavenContext, 'engine' | 'logger'>): Promise<number> {
  await recordMakersOfKeysMadeByKeys(ctx);
  const live = await ctx.engine.ownerTransaction(
    async (tx) =>
      (
        await tx.query<{ team_id: string; created_by: string; scope: 'read' | 'admin'; role: Role | null }>(
          `SELECT k.team_id, k.created_by, k.scope, m.role
             FROM api_keys k LEFT JOIN memberships m ON m.team_id = k.team_id AND m.user_id = k.created_by
            WHERE k.kind = 'secret' AND k.revoked_at IS NULL AND k.created_by IS NOT NULL`,
        )
      ).rows,
  );
  const makers = new Map<string, { teamId: string; userId: string; role: Role | null }>();
  for (const key of live) {
    if (!exceedsMaker(key.scope, key.role)) continue;
    makers.set(`${key.team_id}|${key.created_by}`, { teamId: key.team_id, userId: key.created_by, role: key.role });
  }
  let revoked = 0;
  for (const { teamId, userId, role } of makers.values()) {
    const keys = await withTeam(ctx.engine, teamId, (tx) =>
      revokeKeysBeyondMaker(tx, teamId, { userId, role }, { actor: { type: 'system', id: null }, requestId: undefined, reason: role === null ? 'maker_not_member' : 'role_changed' }),
    );
    revoked += keys.length;
  }
  if (revoked > 0) ctx.logger.info({ keys: revoked }, 'revoked secret keys that outlived their maker’s place in the team');
  return revoked;
}

/**
 * A key made with a key now records the member behind that key as its maker (lockActor). Keys made
 * so before have none, and would outlive that member. The audit log says which key made each
 * (`api_key.created`, its actor the key): follow that back, through keys made by keys, to a key a
 * member made, and record that member. A key whose chain ends nowhere (its entry missing) stays
 * as it is. Returns the keys given a maker.
 */
export async function recordMakersOfKeysMadeByKeys(ctx: Pick<HavenContext, 'engine' | 'logger'>): Promise<number> {
  const keys = await ctx.engine.ownerTransaction(
    async (tx) =>
      (
        await tx.query<{ team_id: string; id: string; created_by: string | null; made_with: string | null }>(
          `SELECT k.team_id, k.id, k.created_by, a.actor_id AS made_with
             FROM api_keys k
             LEFT JOIN audit_log a ON a.team_id = k.team_id AND a.target_id = k.id::text AND a.action = 'api_key.created' AND a.actor_type = 'api_key'
            WHERE k.kind = 'secret' AND k.team_id IN (SELECT team_id FROM api_keys WHERE kind = 'secret' AND created_by IS NULL AND revoked_at IS NULL)`,
        )
      ).rows,
  );
  const byId = new Map(keys.map((k) => [k.id, k]));
  const makerOf = (id: string, seen = new Set<string>()): string | null => {
    const key = byId.get(id);
    if (!key || seen.has(id)) return null;
    seen.add(id);
    return key.created_by ?? (key.made_with ? makerOf(key.made_with, seen) : null);
  };
  let recorded = 0;
  for (const key of keys) {
    const maker = key.created_by === null ? makerOf(key.id) : null;
    if (!maker) continue;
    const r = await withTeam(ctx.engine, key.team_id, (tx) =>
      tx.query(`UPDATE api_keys SET created_by = $3 WHERE team_id = $1 AND id = $2 AND created_by IS NULL`, [key.team_id, key.id, maker]),
    );
    recorded += r.rowCount;
  }
  if (recorded > 0) ctx.logger.info({ keys: recorded }, 'recorded the member behind keys made with a key');
  return recorded;
}
