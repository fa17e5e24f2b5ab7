import { appRoleMigration, type Migration } from '../platform/db/migrations.js';
import { auditSchema } from '../platform/audit/index.js';
import { keyringSchema } from '../platform/crypto/keyring.js';
import type { HavenModule } from '../platform/module.js';
import { accountsModule } from './accounts/index.js';
import { auditModule } from './audit/index.js';
import { peopleModule } from './people/index.js';
import { trackingModule } from './tracking/index.js';

/** The modules Haven is made of, in dependency order (migrations apply in this order). */
export const modules: readonly HavenModule[] = [accountsModule, auditModule, peopleModule, trackingModule];

/** Platform tables first (the app role, the keyring, the audit log), then each module's, in module order. */
export const allMigrations: readonly Migration[] = [appRoleMigration, keyringSchema, auditSchema, ...modules.flatMap((m) => m.migrations)];
