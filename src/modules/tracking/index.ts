import type { HavenModule } from '../../platform/module.js';
import { eventsSchema } from './migrations/0001_events.js';
import { postHogRoutes } from './posthog.routes.js';
import { segmentRoutes } from './segment.routes.js';
import { trackingRoutes } from './tracking.routes.js';

/** Events from websites and back ends (native, Segment- and PostHog-compatible ingest) and the timeline. */
export const trackingModule: HavenModule = {
  name: 'tracking',
  migrations: [eventsSchema],
  async routes(app, { engine, keyring }) {
    await app.register(trackingRoutes, { engine, keyring });
  },
  async rootRoutes(app, { engine, keyring }) {
    await app.register(segmentRoutes, { engine, keyring });
    await app.register(postHogRoutes, { engine, keyring });
  },
};
