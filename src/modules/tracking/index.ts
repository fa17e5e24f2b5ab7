import type { HavenModule } from '../../platform/module.js';
import { eventsSchema } from './migrations/0001_events.js';
import { restrictedDataSchema } from './migrations/0002_restricted_data.js';
import { clearPageNamesSchema } from './migrations/0003_clear_page_names.js';
import { timelineTypeSchema } from './migrations/0004_timeline_type.js';
import { postHogRoutes } from './posthog.routes.js';
import { restrictedDataRoutes } from './restricted-data.routes.js';
import { sealClearPageNames } from './seal-clear-page-names.js';
import { segmentRoutes } from './segment.routes.js';
import { snippetRoutes } from './snippet.routes.js';
import { trackingRoutes } from './tracking.routes.js';

export { countEventsBefore, countEventsOfPerson, deleteEventsBefore, deleteEventsOfPerson, peopleActiveSince } from './delete-events.js';
export { personActivity, type ActivityView } from './timeline.js';
export { eventTotals } from './event-totals.js';
export { guardSettings } from './restricted-data-settings.js';

/** Events from websites and back ends (native, Segment- and PostHog-compatible ingest) and the timeline. */
export const trackingModule: HavenModule = {
  name: 'tracking',
  migrations: [eventsSchema, restrictedDataSchema, clearPageNamesSchema, timelineTypeSchema],
  async prepare(ctx) {
    await sealClearPageNames(ctx);
  },
  async routes(app, { engine, keyring }) {
    await app.register(trackingRoutes, { engine, keyring });
    await app.register(restrictedDataRoutes, { engine });
  },
  async rootRoutes(app, { engine, keyring }) {
    await app.register(segmentRoutes, { engine, keyring });
    await app.register(postHogRoutes, { engine, keyring });
    await app.register(snippetRoutes);
  },
};
