export { jobsSchema, QUEUE_SCHEMA } from './schema.js';
export { openJobQueue } from './job-queue.js';
export { eachTeamApart } from './each-team-apart.js';
//# sourceMappingURL=index.js.map