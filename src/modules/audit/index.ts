import type { HavenModule } from '../../platform/module.js';
import { auditRoutes } from './audit.routes.js';

/** Reading and verifying the team's audit log (the log itself is platform: src/platform/audit). */
export const auditModule: HavenModule = {
  name: 'audit',
  migrations: [],
  async routes(app, { engine }) {
    await app.register(auditRoutes, { engine });
  },
};
