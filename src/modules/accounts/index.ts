import type { HavenModule } from '../../platform/module.js';
import { authRoutes } from './auth.routes.js';
import { authenticate } from './authenticate.js';
import { accountsSchema } from './migrations/0001_accounts.js';
import { teamRoutes } from './team.routes.js';

export { actorOf } from './audit-actor.js';
export { requireTeam, requireUser, requireWriteKey, teamOfWriteKey, type Principal, type TeamAccess } from './authenticate.js';
export { PERMISSIONS, ROLES, roleAllows, type Action, type Role } from './permissions.js';

/** Users, teams, members and roles, invitations, sessions and API keys. */
export const accountsModule: HavenModule = {
  name: 'accounts',
  migrations: [accountsSchema],
  async hooks(app, { engine, config }) {
    await app.register(authenticate, {
      engine,
      sessions: { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours },
    });
  },
  async routes(app, { engine, config }) {
    await app.register(authRoutes, { engine, sessions: { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours } });
    await app.register(teamRoutes, { engine });
  },
};
