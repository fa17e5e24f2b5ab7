import { appRoleMigration } from '../platform/db/migrations.js';
import { auditCheckpointSchema, auditSchema } from '../platform/audit/index.js';
import { auditTeamPurgeSchema } from '../platform/audit/team-purge.js';
import { accountKeySchema } from '../platform/crypto/account-keys.js';
import { keyringSchema, teamKeysAppendOnlySchema } from '../platform/crypto/keyring.js';
import { teamDeletionSchema } from '../platform/db/delete-team-data.js';
import { erasureLedgerSchema, erasureLedgerScopedSchema, erasureLedgerSuppressionsSchema, erasureLedgerUsersSchema } from '../platform/erasure-ledger/index.js';
import { jobsSchema } from '../platform/jobs/index.js';
import { accountsModule } from './accounts/index.js';
import { auditModule } from './audit/index.js';
import { peopleModule } from './people/index.js';
import { privacyModule } from './privacy/index.js';
import { trackingModule } from './tracking/index.js';
/** The modules Haven is made of, in dependency order (migrations apply in this order). */
export const modules = [accountsModule, auditModule, peopleModule, trackingModule, privacyModule];
/** Platform tables first (the app role, the keyring, the audit log, the job queue), then each module's, in module order. */
export const allMigrations = [
    appRoleMigration,
    keyringSchema,
    auditSchema,
    jobsSchema,
    accountKeySchema,
    // Team deletion may remove a team's audit chain; certificates and the erasure ledger outlive teams.
    auditTeamPurgeSchema,
    teamDeletionSchema,
    erasureLedgerSchema,
    erasureLedgerSuppressionsSchema,
    erasureLedgerUsersSchema,
    auditCheckpointSchema,
    teamKeysAppendOnlySchema,
    erasureLedgerScopedSchema,
    ...modules.flatMap((m) => m.migrations),
];
//# sourceMappingURL=index.js.map