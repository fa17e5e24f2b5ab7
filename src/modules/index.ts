import { appRoleMigration, type Migration } from '../platform/db/migrations.js';
import { keyringSchema } from '../platform/crypto/keyring.js';
import type { HavenModule } from '../platform/module.js';
import { accountsModule } from './accounts/index.js';

/** The modules Haven is made of, in dependency order (migrations apply in this order). */
export const modules: readonly HavenModule[] = [accountsModule];

/** Platform tables first (the app role, the keyring), then each module's, in module order. */
export const allMigrations: readonly Migration[] = [appRoleMigration, keyringSchema, ...modules.flatMap((m) => m.migrations)];
