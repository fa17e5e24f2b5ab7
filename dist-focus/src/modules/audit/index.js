import { AUDIT_CHECKPOINT_JOB } from '../../platform/audit/index.js';
import { auditRoutes } from './audit.routes.js';
import { checkpointTeams } from './checkpoint-teams.js';
export { checkpointTeams } from './checkpoint-teams.js';
/** Reading, verifying and checkpointing the team's audit log (the log itself is platform: src/platform/audit). */
export const auditModule = {
    name: 'audit',
    migrations: [],
    jobs: [{ name: AUDIT_CHECKPOINT_JOB, schedule: '23 * * * *', handler: (_data, ctx) => checkpointTeams(ctx).then(() => { }) }],
    async routes(app, { engine, keyring }) {
        await app.register(auditRoutes, { engine, keyring });
    },
};
//# sourceMappingURL=index.js.map