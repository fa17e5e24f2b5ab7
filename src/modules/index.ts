import type { Migration } from '../platform/db/migrations.js';
import type { HavenModule } from '../platform/module.js';
import { accountsModule } from './accounts/index.js';

/** The modules Haven is made of, in dependency order (migrations apply in this order). */
export const modules: readonly HavenModule[] = [accountsModule];

export const allMigrations: readonly Migration[] = modules.flatMap((m) => m.migrations);
