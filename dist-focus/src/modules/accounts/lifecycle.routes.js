import { Type } from '@sinclair/typebox';
import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { Timestamp, Uuid, withErrors } from '../../platform/http/schemas.js';
import { actorOf } from './audit-actor.js';
import { requireTeam } from './authenticate.js';
import { DELETE_TEAM_JOB, cancelTeam, undoCancellation } from './team-lifecycle.js';
import { getTeam } from './teams.js';
const Lifecycle = Type.Object({
    id: Uuid,
    cancelledAt: Type.Union([Timestamp, Type.Null()]),
    deletionDueAt: Type.Union([Timestamp, Type.Null()]),
});
/** An owner cancels the team (read-only at once, deleted after the grace period) or undoes it. */
export const lifecycleRoutes = async (app, { ctx }) => {
    app.post('/team/cancellation', {
        schema: {
            tags: ['team'],
            summary: `Cancel the team (owners): read-only at once for everyone; every row of the team is deleted after the grace period (HAVEN_DELETION_GRACE_HOURS, default 24 h) unless an owner undoes it. Exports still work meanwhile.`,
            response: withErrors({ 202: Lifecycle }, 401, 403, 409),
        },
    }, async (request, reply) => {
        const access = requireTeam(request, 'team.cancel');
        const team = await withTeam(ctx.engine, access.teamId, async (tx) => {
            const due = await cancelTeam(tx, access.teamId, access.userId, ctx.config.deletionGraceHours);
            await ctx.jobs.send(DELETE_TEAM_JOB, { teamId: access.teamId, dueAt: due.toISOString() }, { startAfter: due, tx });
            await audit.record(tx, {
                teamId: access.teamId,
                actor: actorOf(access),
                action: 'team.cancelled',
                target: { type: 'team', id: access.teamId },
                requestId: request.id,
                details: { deletionDueAt: due.toISOString() },
            });
            return getTeam(tx, access.teamId);
        });
        return reply.code(202).send({ id: team.id, cancelledAt: team.cancelledAt, deletionDueAt: team.deletionDueAt });
    });
    app.delete('/team/cancellation', {
        schema: {
            tags: ['team'],
            summary: 'Undo the cancellation during the grace period (owners): the team is writable again and nothing is deleted.',
            response: withErrors({ 200: Lifecycle }, 401, 403, 409),
        },
    }, async (request) => {
        const access = requireTeam(request, 'team.cancel');
        const team = await withTeam(ctx.engine, access.teamId, async (tx) => {
            await undoCancellation(tx, access.teamId, access.userId);
            await audit.record(tx, { teamId: access.teamId, actor: actorOf(access), action: 'team.cancellation_undone', target: { type: 'team', id: access.teamId }, requestId: request.id });
            return getTeam(tx, access.teamId);
        });
        return { id: team.id, cancelledAt: team.cancelledAt, deletionDueAt: team.deletionDueAt };
    });
};
//# sourceMappingURL=lifecycle.routes.js.map