import { openErasureLedger } from '../../platform/erasure-ledger/index.js';
import { authRoutes } from './auth.routes.js';
import { authenticate } from './authenticate.js';
import { DELETE_DUE_TEAMS_JOB, deleteCancelledTeam, deleteDueTeams } from './delete-team.js';
import { giveTeamsIndexRoots } from './give-teams-index-roots.js';
import { FAILED_SIGN_IN_JOB, recordFailedSignIn } from './record-failed-sign-in.js';
import { lifecycleRoutes } from './lifecycle.routes.js';
import { accountsSchema } from './migrations/0001_accounts.js';
import { cancellationSchema } from './migrations/0002_cancellation.js';
import { deletionStartedSchema } from './migrations/0005_deletion_started.js';
import { narrowerGrantsSchema } from './migrations/0006_narrower_grants.js';
import { sealedEmailsSchema } from './migrations/0003_sealed_emails.js';
import { signInAttemptsSchema } from './migrations/0004_sign_in_attempts.js';
import { revokeOutlivedGrants } from './revoke-outlived-grants.js';
import { sealClearEmails } from './seal-clear-emails.js';
import { PURGE_ENDED_SESSIONS_JOB, purgeEndedSessions } from './sessions.js';
import { DELETE_TEAM_JOB } from './team-lifecycle.js';
import { teamRoutes } from './team.routes.js';
export { actorOf } from './audit-actor.js';
export { listApiKeys } from './api-keys.js';
export { getTeam, teamExists } from './teams.js';
export { requireTeam, requireUser, requireWriteKey, teamOfWriteKey } from './authenticate.js';
export { DELETE_TEAM_JOB, renewGraceAfterRestore } from './team-lifecycle.js';
export { FAILED_SIGN_IN_JOB } from './record-failed-sign-in.js';
export { DELETE_DUE_TEAMS_JOB, deleteCancelledTeam, deleteDueTeams } from './delete-team.js';
export { PURGE_ENDED_SESSIONS_JOB } from './sessions.js';
export { eraseAccountRows } from './delete-account.js';
export { PERMISSIONS, ROLES, roleAllows } from './permissions.js';
/** Users, teams, members and roles, invitations, sessions and API keys. */
export const accountsModule = {
    name: 'accounts',
    migrations: [accountsSchema, cancellationSchema, sealedEmailsSchema, signInAttemptsSchema, deletionStartedSchema, narrowerGrantsSchema],
    jobs: [
        { name: DELETE_TEAM_JOB, handler: (data, ctx) => deleteCancelledTeam(ctx, data).then(() => { }) },
        { name: FAILED_SIGN_IN_JOB, handler: (data, ctx) => recordFailedSignIn(ctx, data) },
        { name: DELETE_DUE_TEAMS_JOB, schedule: '*/15 * * * *', handler: (_data, ctx) => deleteDueTeams(ctx).then(() => { }) },
        {
            name: PURGE_ENDED_SESSIONS_JOB,
            schedule: '41 * * * *',
            handler: (_data, { engine, config }) => purgeEndedSessions(engine, { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours }).then(() => { }),
        },
    ],
    async prepare(ctx) {
        await giveTeamsIndexRoots(ctx);
        await sealClearEmails(ctx);
        await revokeOutlivedGrants(ctx);
    },
    async hooks(app, { engine, config }) {
        await app.register(authenticate, {
            engine,
            sessions: { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours },
        });
    },
    async routes(app, ctx) {
        const { engine, keyring, config } = ctx;
        await app.register(authRoutes, {
            engine,
            keyring,
            sessions: { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours },
            ledger: openErasureLedger(config),
            jobs: ctx.jobs,
        });
        await app.register(teamRoutes, { engine, keyring });
        await app.register(lifecycleRoutes, { ctx });
    },
};
//# sourceMappingURL=index.js.map