import { ConfigError } from '../platform/config.js';
import { MasterKeyError } from '../platform/crypto/master-key/provider.js';
import { DatabaseUnavailableError } from '../platform/db/open.js';
import { DataDirInUseError } from '../platform/db/data-dir-lock.js';
import { isUuid } from '../platform/db/with-team.js';
/** A mistake in how a command was called: printed as `haven: …`, exit code 2, no stack trace. */
export class UsageError extends Error {
    name = 'UsageError';
}
export function teamIdFlag(value) {
    if (value !== undefined && !isUuid(value))
        throw new UsageError('--team takes a team id (a UUID).');
    // As Haven writes ids everywhere (entries, associated data, checkpoint MACs): lower case.
    return value?.toLowerCase();
}
/**
 * Wrap a command's action: errors the operator can act on (usage, a setting, the master key, a
 * busy data directory, a database that cannot be reached, a port in use) become one line on stderr and exit code 2;
 * anything else is a bug and keeps its stack.
 */
export function command(action) {
    return async (...args) => {
        try {
            await action(...args);
        }
        catch (error) {
            if (error instanceof UsageError ||
                error instanceof ConfigError ||
                error instanceof MasterKeyError ||
                error instanceof DataDirInUseError ||
                error instanceof DatabaseUnavailableError) {
                console.error(`haven: ${error.message}`);
                process.exitCode = 2;
                return;
            }
            throw error;
        }
    };
}
//# sourceMappingURL=usage-error.js.map