import type { Tx } from '../db/engine.js';
import type { HavenContext } from '../module.js';

export interface JobOptions {
  /** Not before this time (e.g. a team's deletion 24 h after its owner cancels). */
  startAfter?: Date;
  /**
   * At most one job of this name with this key waits to start: a second send while the first is
   * still queued returns null and queues nothing. Jobs without a key are never merged.
   */
  singletonKey?: string;
  /**
   * Enqueue inside this open transaction (withTeam/engine.transaction or engine.ownerTransaction),
   * atomically with the change that needs the job: if the transaction rolls back, the job never
   * existed. Inside a transaction, always pass it: on PGlite (one connection) a send without it
   * would wait for the very transaction it runs in.
   */
  tx?: Tx;
}

/**
 * Background jobs, kept in PostgreSQL by pg-boss (docs/decisions/0010-jobs-on-pg-boss.md).
 *
 * Job data holds ids only (team, person, request ids; flags and ISO dates at most) — never personal
 * data: it is stored in clear in the queue's tables, outlives erasure for a while, and failed jobs
 * stay listed for a week. `send` refuses nested objects, so a whole record cannot slip in.
 * Delivery is at least once: a handler may run again after a crash or a timeout, so it must be
 * idempotent.
 */
export interface JobQueue {
  /** Queue a job; its id, or null when `singletonKey` matched a job that is still waiting. */
  send(name: string, data: Record<string, unknown>, options?: JobOptions): Promise<string | null>;
  /** Process every job of `name` that is due now, in this process, and return how many ran (tests and CLI commands use this; failures are rethrown after being recorded for retry). */
  runNow(name: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A kind of job a module runs. Failures are retried with exponential backoff (9 attempts over
 * roughly 4–8 hours), then the job is marked failed and logged at error level with its id and name.
 */
export interface JobDefinition {
  name: string; // e.g. 'privacy.purge-person'
  handler(data: any, ctx: HavenContext): Promise<void>;
  /** Cron (UTC), e.g. '17 3 * * *' for recurring jobs; the job then runs with empty data. */
  schedule?: string;
}

export { jobsSchema, QUEUE_SCHEMA } from './schema.js';
export { type JobsMode, openJobQueue, type RunningJobQueue } from './job-queue.js';
export { eachTeamApart } from './each-team-apart.js';
