import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { masterKeyProvider } from '../app.js';
import { MasterKeyError } from '../platform/crypto/master-key/provider.js';
/**
 * The master key that already exists: HAVEN_MASTER_KEY, or the data directory's key file. The
 * key-file provider makes a new key for a database that holds nothing sealed yet (an empty
 * restore target is one), which backup and restore must never do.
 * `where` says which key is wanted, for the message when there is none.
 */
export function existingMasterKey(config, where) {
    if (!config.masterKey && !existsSync(join(config.dataDir, 'master.key'))) {
        throw new MasterKeyError(`No master key: put ${where} in ${join(config.dataDir, 'master.key')} (mode 0600) or in HAVEN_MASTER_KEY. Nothing was changed.`);
    }
    return masterKeyProvider(config);
}
//# sourceMappingURL=existing-master-key.js.map