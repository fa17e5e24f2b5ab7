import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Engine } from '../db/engine.js';
import type { HavenContext } from '../module.js';
import type { JobDefinition, JobOptions, JobQueue } from './index.js';
import { checkJobData, failureSummary } from './job-data.js';
import { type QueueConnection, queueConnection, transactionDatabase } from './queue-database.js';
import { QUEUE_SCHEMA } from './schema.js';

/**
 * 'work' (haven start): poll and run due jobs, fire schedules, expire and archive old jobs.
 * 'manual' (tests, CLI commands): nothing runs in the background; runNow runs what is due.
 */
export type JobsMode = 'work' | 'manual';

/** The queue as createHaven holds it: the JobQueue, plus registering the modules' jobs once. */
export interface RunningJobQueue extends JobQueue {
  /** Create or update each definition's queue and schedule, then (in 'work' mode) start polling. */
  register(definitions: readonly JobDefinition[], ctx: HavenContext): Promise<void>;
}

/**
 * Every queue's settings. 'short' keeps at most one job per singletonKey waiting to start; send()
 * keys a job sent without one by its own id, so only keyed jobs merge (scheduled runs share the
 * empty key: a run that has not started yet is not queued twice). Failures back off from one
 * minute, doubling with jitter: 8 retries span roughly 4 to 8 hours. A job still active after an
 * hour is presumed lost with its process and retried.
 */
const QUEUE_SETTINGS = { policy: 'short', retryLimit: 8, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 } as const;
/** Failed jobs stay in the job table (visible to operators) this long before pg-boss archives them. */
const KEEP_FAILED_SECONDS = 7 * 24 * 3600;
/**
 * How often a queue is looked at for jobs nothing woke it for: scheduled runs, retries coming due
 * and, on PostgreSQL, jobs other nodes sent. Every send of this process wakes its queue (at commit,
 * for a send inside a transaction). PGlite's files belong to this one process, so it looks
 * rarely: each look is a statement on the thread that serves requests (nine queues, each looked at
 * every 2 s, took ~4% of that thread under steady ingest).
 */
const POLL_MS = { pglite: 15_000, postgres: 2_000 } as const;
/** How long stop() lets running jobs finish before the engine closes under them. */
const STOP_WAIT_MS = 30_000;

/** Serialises creating queues across nodes starting at once (pg-boss's create_queue deadlocks with itself). */
const QUEUE_CREATION_LOCK = 7302202602;

type DueJob = PgBoss.JobWithMetadata<Record<string, unknown>>;

/**
 * The job queue on the engine; it starts working when `register` has brought the queues and
 * schedules in line with the definitions. Its schema comes from Haven's migrations (`jobsSchema`).
 */
export function openJobQueue(engine: Engine, logger: Logger, mode: JobsMode): RunningJobQueue {
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
  boss.on('error', (error: unknown) => log.warn({ err: error }, 'job queue error'));
  return new PgBossJobQueue(engine, boss, connection, log, work);
}

class PgBossJobQueue implements RunningJobQueue {
  private readonly definitions = new Map<string, JobDefinition>();
  private ctx: HavenContext | undefined;
  private readonly pollers: Promise<void>[] = [];
  /** Wakes the poller of a queue that is sleeping between polls. */
  private readonly wakers = new Map<string, () => void>();
  /** Queues woken while their poller was looking: it looks again before sleeping. */
  private readonly wokenWhileAwake = new Set<string>();
  private started = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly boss: PgBoss,
    private readonly connection: QueueConnection,
    private readonly log: Logger,
    private readonly work: boolean,
  ) {}

  async register(definitions: readonly JobDefinition[], ctx: HavenContext): Promise<void> {
    if (this.ctx) throw new Error('job definitions are registered once');
    for (const definition of definitions) {
      if (this.definitions.has(definition.name)) throw new Error(`two job definitions are named ${definition.name}`);
      this.definitions.set(definition.name, definition);
    }
    this.ctx = ctx;
    await this.createQueues();
    await this.syncSchedules();
    // After the sync, so that pg-boss's first look at the schedules (at start) sees this version's.
    await this.boss.start();
    this.started = true;
    if (this.work) for (const name of this.definitions.keys()) this.pollers.push(this.poll(name));
  }

  async send(name: string, data: Record<string, unknown>, options: JobOptions = {}): Promise<string | null> {
    this.definition(name);
    this.assertRunning();
    checkJobData(name, data);
    if (options.startAfter && Number.isNaN(options.startAfter.getTime())) throw new TypeError(`job ${name}: startAfter is not a valid date`);
    const id = randomUUID();
    const sent = await this.boss.send(name, data, {
      id,
      singletonKey: options.singletonKey ?? id,
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
      ...(options.tx ? { db: transactionDatabase(options.tx) } : {}),
    });
    // A job sent inside a transaction becomes visible when it commits.
    if (sent && options.tx) options.tx.whenDone((committed) => committed && this.wake(name));
    else if (sent) this.wake(name);
    return sent;
  }

  async runNow(name: string): Promise<number> {
    this.definition(name);
    this.assertRunning();
    const { ran, failures } = await this.drain(name);
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} jobs of ${name} failed`);
    return ran;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    for (const wake of [...this.wakers.values()]) wake();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(this.pollers), new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
    if (this.started) await this.boss.stop({ graceful: true, wait: true, timeout: 1000 });
    // pg-boss's own workers (schedules) may still be finishing a query; the engine closes after.
    await this.connection.settle();
    await this.connection.close();
  }

  private async createQueues(): Promise<void> {
    const existing = new Map((await this.boss.getQueues()).map((queue) => [queue.name, queue]));
    const missing = [...this.definitions.keys()].filter((name) => !existing.has(name));
    if (missing.length > 0) {
      // pg-boss's create_queue, called in one owner transaction under a lock: it inserts the queue
      // (or does nothing if another node just did) and attaches a partition for its jobs.
      await this.engine.ownerTransaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock($1)`, [QUEUE_CREATION_LOCK]);
        for (const name of missing) await tx.query(`SELECT ${QUEUE_SCHEMA}.create_queue($1, $2)`, [name, QUEUE_SETTINGS]);
      });
    }
    for (const [name, queue] of existing) {
      if (this.definitions.has(name) && !hasSettings(queue)) await this.boss.updateQueue(name, { name, ...QUEUE_SETTINGS });
    }
  }

  /** The database's schedules become the definitions': new or changed ones set, removed ones dropped. */
  private async syncSchedules(): Promise<void> {
    const current = (await this.boss.getSchedules()) as Array<PgBoss.Schedule & { timezone: string | null }>;
    const wanted = [...this.definitions.values()].filter((definition) => definition.schedule);
    for (const definition of wanted) {
      const row = current.find((schedule) => schedule.name === definition.name);
      if (row && row.cron === definition.schedule && row.timezone === 'UTC') continue;
      await this.boss.schedule(definition.name, definition.schedule!, {}, { tz: 'UTC' });
    }
    for (const row of current) if (!wanted.some((definition) => definition.name === row.name)) await this.boss.unschedule(row.name);
  }

  private async poll(name: string): Promise<void> {
    while (!this.stopping) {
      try {
        await this.drain(name);
      } catch (error) {
        // The database is unreachable or closing: try again at the next poll. Job failures are logged where they happen.
        this.log.warn({ err: error, job: { name } }, 'could not fetch jobs');
      }
      if (!this.stopping) await this.sleep(name);
    }
  }

  /** Wake the queue's poller: now if it sleeps, else as soon as it would (a job may have come after its last look). */
  private wake(name: string): void {
    const wake = this.wakers.get(name);
    if (wake) wake();
    else if (this.work) this.wokenWhileAwake.add(name);
  }

  private sleep(name: string): Promise<void> {
    if (this.wokenWhileAwake.delete(name)) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(name);
        resolve();
      };
      const timer = setTimeout(wake, POLL_MS[this.engine.kind]);
      this.wakers.set(name, wake);
    });
  }

  /** Run due jobs of `name` one at a time until none is left (or Haven is stopping). */
  private async drain(name: string): Promise<{ ran: number; failures: unknown[] }> {
    let ran = 0;
    const failures: unknown[] = [];
    while (!this.stopping) {
      const [job] = await this.boss.fetch<Record<string, unknown>>(name, { batchSize: 1, includeMetadata: true });
      if (!job) break;
      ran++;
      const failure = await this.run(job);
      if (failure) failures.push(failure);
    }
    return { ran, failures };
  }

  /** Run one fetched job; record the outcome. Returns the handler's error, if any. */
  private async run(job: DueJob): Promise<unknown> {
    const about = { id: job.id, name: job.name, attempt: job.retryCount + 1 };
    try {
      await this.definition(job.name).handler(job.data, this.context());
    } catch (error) {
      await this.boss.fail(job.name, job.id, failureSummary(error));
      const retriesLeft = job.retryLimit - job.retryCount;
      if (retriesLeft > 0) this.log.warn({ job: about, retriesLeft, err: error }, 'job failed; it will be retried');
      else this.log.error({ job: about, err: error }, 'job failed for good: no retries left');
      return error;
    }
    await this.boss.complete(job.name, job.id);
    this.log.debug({ job: about }, 'job done');
    return undefined;
  }

  private definition(name: string): JobDefinition {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`no job is defined with the name ${name}`);
    return definition;
  }

  private context(): HavenContext {
    if (!this.ctx) throw new Error('the job queue has no definitions registered yet');
    return this.ctx;
  }

  private assertRunning(): void {
    if (this.stopping) throw new Error('the job queue is stopped');
  }
}

function hasSettings(queue: PgBoss.QueueResult): boolean {
  return (
    queue.policy === QUEUE_SETTINGS.policy &&
    queue.retryLimit === QUEUE_SETTINGS.retryLimit &&
    queue.retryDelay === QUEUE_SETTINGS.retryDelay &&
    queue.retryBackoff === QUEUE_SETTINGS.retryBackoff &&
    queue.expireInSeconds === QUEUE_SETTINGS.expireInSeconds
  );
}
