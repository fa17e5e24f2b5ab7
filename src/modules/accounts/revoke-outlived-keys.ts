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
 * Keys made with an admin key (no maker) stay. Team by team, like the other start-up passes: a
 * database role that cannot see every team revokes what it sees. Nothing to do costs one query.
 */
export async function revokeOutlivedKeys(ctx: Pick<HavenContext, 'engine' | 'logger'>): Promise<number> {
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
