import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { HavenConfig } from './config.js';
import type { Keyring } from './crypto/keyring.js';
import type { Engine } from './db/engine.js';
import type { Migration } from './db/migrations.js';
import type { JobDefinition, JobQueue } from './jobs/index.js';

/** What every module gets: the database, the keyring, settings, the logger and the job queue. */
export interface HavenContext {
  engine: Engine;
  keyring: Keyring;
  config: HavenConfig;
  logger: Logger;
  jobs: JobQueue;
}

/** A domain module: its tables (migrations, in order) and its HTTP routes under /api/v1. */
export interface HavenModule {
  name: string;
  migrations: readonly Migration[];
  /** Hooks and decorators that apply to every route (authentication), registered first. */
  hooks?(app: FastifyInstance, ctx: HavenContext): Promise<void>;
  /** Routes, registered under /api/v1. */
  routes?(app: FastifyInstance, ctx: HavenContext): Promise<void>;
  /** Routes at the root, for wire formats other tools define (Segment's /v1/track, …). */
  rootRoutes?(app: FastifyInstance, ctx: HavenContext): Promise<void>;
  /** Background jobs the module runs (handlers and schedules); others enqueue them with `ctx.jobs.send`. */
  jobs?: readonly JobDefinition[];
  /** Work to finish once the schema is current, before the server answers (kept quick: it delays every start). */
  prepare?(ctx: HavenContext): Promise<void>;
}
