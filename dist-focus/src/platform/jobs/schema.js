import PgBoss from 'pg-boss';
import { APP_ROLE } from '../db/engine.js';
import { scriptStatements } from './queue-database.js';
/** pg-boss's tables live in their own schema, apart from Haven's (and from the I1 catalogue check of `public`). */
export const QUEUE_SCHEMA = 'pgboss';
/**
 * pg-boss's own schema, created by Haven's migrations so that it is made once, under the migration
 * lock, with the grants beside it. pg-boss's plan wraps itself in BEGIN/COMMIT; the migration runner
 * opens the transaction instead. Later pg-boss versions migrate their schema themselves at start.
 *
 * The app role may only enqueue, from inside a tenant transaction: read the queues' settings (the
 * insert joins them) and insert jobs, seeing back nothing but the new job's id. It cannot read,
 * change or delete jobs; workers run as the owner.
 */
export const jobsSchema = {
    id: 'platform/0004_jobs',
    sql: [
        ...scriptStatements(PgBoss.getConstructionPlans(QUEUE_SCHEMA)),
        // pg-boss's schedules pass through this queue. Created here, once, rather than by every node
        // at start: concurrent creations of one queue deadlock.
        `SELECT ${QUEUE_SCHEMA}.create_queue('__pgboss__send-it', '{"policy":"standard"}')`,
        `GRANT USAGE ON SCHEMA ${QUEUE_SCHEMA} TO ${APP_ROLE}`,
        `GRANT SELECT ON ${QUEUE_SCHEMA}.queue TO ${APP_ROLE}`,
        `GRANT INSERT, SELECT (id) ON ${QUEUE_SCHEMA}.job TO ${APP_ROLE}`,
    ].join(';\n'),
};
//# sourceMappingURL=schema.js.map