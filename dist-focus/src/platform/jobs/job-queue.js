import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { checkJobData, failureSummary } from './job-data.js';
import { queueConnection, transactionDatabase } from './queue-database.js';
import { QUEUE_SCHEMA } from './schema.js';
/**
 * Every queue's settings. 'short' keeps at most one job per singletonKey waiting to start; send()
 * keys a job sent without one by its own id, so only keyed jobs merge (scheduled runs share the
 * empty key: a run that has not started yet is not queued twice). Failures back off from one
 * minute, doubling with jitter: 8 retries span roughly 4 to 8 hours. A job still active after an
 * hour is presumed lost with its process and retried.
 */
const QUEUE_SETTINGS = { policy: 'short', retryLimit: 8, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 };
/** Failed jobs stay in the job table (visible to operators) this long before pg-boss archives them. */
const KEEP_FAILED_SECONDS = 7 * 24 * 3600;
const POLL_MS = 2000;
/** How long stop() lets running jobs finish before the engine closes under them. */
const STOP_WAIT_MS = 30_000;
/** Serialises creating queues across nodes starting at once (pg-boss's create_queue deadlocks with itself). */
const QUEUE_CREATION_LOCK = 7302202602;
/**
 * The job queue on the engine; it starts working when `register` has brought the queues and
 * schedules in line with the definitions. Its schema comes from Haven's migrations (`jobsSchema`).
 */
export function openJobQueue(engine, logger, mode) {
    const log = logger.child({ component: 'jobs' });
    const connection = queueConnection(engine, (error) => log.warn({ err: error }, 'job queue query failed'));
    const work = mode === 'work';
    const boss = new PgBoss({
        db: connection,
        schema: QUEUE_SCHEMA,
        supervise: work,
        schedule: work,
        archiveFailedAfterSeconds: KEEP_FAILED_SECONDS,
    });
    boss.on('error', (error) => log.warn({ err: error }, 'job queue error'));
    return new PgBossJobQueue(engine, boss, connection, log, work);
}
class PgBossJobQueue {
    engine;
    boss;
    connection;
    log;
    work;
    definitions = new Map();
    ctx;
    pollers = [];
    /** Wakes the poller of a queue that is sleeping between polls. */
    wakers = new Map();
    started = false;
    stopping;
    constructor(engine, boss, connection, log, work) {
        this.engine = engine;
        this.boss = boss;
        this.connection = connection;
        this.log = log;
        this.work = work;
    }
    async register(definitions, ctx) {
        if (this.ctx)
            throw new Error('job definitions are registered once');
        for (const definition of definitions) {
            if (this.definitions.has(definition.name))
                throw new Error(`two job definitions are named ${definition.name}`);
            this.definitions.set(definition.name, definition);
        }
        this.ctx = ctx;
        await this.createQueues();
        await this.syncSchedules();
        // After the sync, so that pg-boss's first look at the schedules (at start) sees this version's.
        await this.boss.start();
        this.started = true;
        if (this.work)
            for (const name of this.definitions.keys())
                this.pollers.push(this.poll(name));
    }
    async send(name, data, options = {}) {
        this.definition(name);
        this.assertRunning();
        checkJobData(name, data);
        if (options.startAfter && Number.isNaN(options.startAfter.getTime()))
            throw new TypeError(`job ${name}: startAfter is not a valid date`);
        const id = randomUUID();
        const sent = await this.boss.send(name, data, {
            id,
            singletonKey: options.singletonKey ?? id,
            ...(options.startAfter ? { startAfter: options.startAfter } : {}),
            ...(options.tx ? { db: transactionDatabase(options.tx) } : {}),
        });
        // A job inside a transaction becomes visible at commit; the next poll finds it.
        if (sent && !options.tx)
            this.wakers.get(name)?.();
        return sent;
    }
    async runNow(name) {
        this.definition(name);
        this.assertRunning();
        const { ran, failures } = await this.drain(name);
        if (failures.length === 1)
            throw failures[0];
        if (failures.length > 1)
            throw new AggregateError(failures, `${failures.length} jobs of ${name} failed`);
        return ran;
    }
    stop() {
        this.stopping ??= this.shutDown();
        return this.stopping;
    }
    async shutDown() {
        for (const wake of [...this.wakers.values()])
            wake();
        let timer;
        await Promise.race([Promise.allSettled(this.pollers), new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
        clearTimeout(timer);
        if (this.started)
            await this.boss.stop({ graceful: true, wait: true, timeout: 1000 });
        // pg-boss's own workers (schedules) may still be finishing a query; the engine closes after.
        await this.connection.settle();
        await this.connection.close();
    }
    async createQueues() {
        const existing = new Map((await this.boss.getQueues()).map((queue) => [queue.name, queue]));
        const missing = [...this.definitions.keys()].filter((name) => !existing.has(name));
        if (missing.length > 0) {
            // pg-boss's create_queue, called in one owner transaction under a lock: it inserts the queue
            // (or does nothing if another node just did) and attaches a partition for its jobs.
            await this.engine.ownerTransaction(async (tx) => {
                await tx.query(`SELECT pg_advisory_xact_lock($1)`, [QUEUE_CREATION_LOCK]);
                for (const name of missing)
                    await tx.query(`SELECT ${QUEUE_SCHEMA}.create_queue($1, $2)`, [name, QUEUE_SETTINGS]);
            });
        }
        for (const [name, queue] of existing) {
            if (this.definitions.has(name) && !hasSettings(queue))
                await this.boss.updateQueue(name, { name, ...QUEUE_SETTINGS });
        }
    }
    /** The database's schedules become the definitions': new or changed ones set, removed ones dropped. */
    async syncSchedules() {
        const current = (await this.boss.getSchedules());
        const wanted = [...this.definitions.values()].filter((definition) => definition.schedule);
        for (const definition of wanted) {
            const row = current.find((schedule) => schedule.name === definition.name);
            if (row && row.cron === definition.schedule && row.timezone === 'UTC')
                continue;
            await this.boss.schedule(definition.name, definition.schedule, {}, { tz: 'UTC' });
        }
        for (const row of current)
            if (!wanted.some((definition) => definition.name === row.name))
                await this.boss.unschedule(row.name);
    }
    async poll(name) {
        while (!this.stopping) {
            try {
                await this.drain(name);
            }
            catch (error) {
                // The database is unreachable or closing: try again at the next poll. Job failures are logged where they happen.
                this.log.warn({ err: error, job: { name } }, 'could not fetch jobs');
            }
            if (!this.stopping)
                await this.sleep(name);
        }
    }
    sleep(name) {
        return new Promise((resolve) => {
            const wake = () => {
                clearTimeout(timer);
                this.wakers.delete(name);
                resolve();
            };
            const timer = setTimeout(wake, POLL_MS);
            this.wakers.set(name, wake);
        });
    }
    /** Run due jobs of `name` one at a time until none is left (or Haven is stopping). */
    async drain(name) {
        let ran = 0;
        const failures = [];
        while (!this.stopping) {
            const [job] = await this.boss.fetch(name, { batchSize: 1, includeMetadata: true });
            if (!job)
                break;
            ran++;
            const failure = await this.run(job);
            if (failure)
                failures.push(failure);
        }
        return { ran, failures };
    }
    /** Run one fetched job; record the outcome. Returns the handler's error, if any. */
    async run(job) {
        const about = { id: job.id, name: job.name, attempt: job.retryCount + 1 };
        try {
            await this.definition(job.name).handler(job.data, this.context());
        }
        catch (error) {
            await this.boss.fail(job.name, job.id, failureSummary(error));
            const retriesLeft = job.retryLimit - job.retryCount;
            if (retriesLeft > 0)
                this.log.warn({ job: about, retriesLeft, err: error }, 'job failed; it will be retried');
            else
                this.log.error({ job: about, err: error }, 'job failed for good: no retries left');
            return error;
        }
        await this.boss.complete(job.name, job.id);
        this.log.debug({ job: about }, 'job done');
        return undefined;
    }
    definition(name) {
        const definition = this.definitions.get(name);
        if (!definition)
            throw new Error(`no job is defined with the name ${name}`);
        return definition;
    }
    context() {
        if (!this.ctx)
            throw new Error('the job queue has no definitions registered yet');
        return this.ctx;
    }
    assertRunning() {
        if (this.stopping)
            throw new Error('the job queue is stopped');
    }
}
function hasSettings(queue) {
    return (queue.policy === QUEUE_SETTINGS.policy &&
        queue.retryLimit === QUEUE_SETTINGS.retryLimit &&
        queue.retryDelay === QUEUE_SETTINGS.retryDelay &&
        queue.retryBackoff === QUEUE_SETTINGS.retryBackoff &&
        queue.expireInSeconds === QUEUE_SETTINGS.expireInSeconds);
}
//# sourceMappingURL=job-queue.js.map