import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileDurably } from '../../../durable-file.js';
import { MasterKeyError, MissingMasterKeyError, decodeMasterKey } from '../provider.js';
/**
 * A key file created on first run with mode 0600, beside (never inside) the database directory,
 * so a copy of the database alone decrypts nothing. A file others can read is refused. It is made
 * only when asked (`create`): a new key beside a database sealed under a lost one would open none
 * of its data.
 */
export function fileMasterKey(path) {
    return {
        source: path,
        async load(options = {}) {
            let mode;
            try {
                mode = statSync(path).mode;
            }
            catch (error) {
                if (error.code !== 'ENOENT')
                    throw error;
                if (!options.create)
                    throw new MissingMasterKeyError(`No master key: ${path} does not exist.`);
                mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
                const key = randomBytes(32);
                // 'wx': never overwrite a key another process created meanwhile. Synced before anything
                // is sealed under it: a key lost to a power cut would take every team's data with it.
                try {
                    await writeFileDurably(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
                    return key;
                }
                catch (raced) {
                    if (raced.code !== 'EEXIST')
                        throw raced;
                    mode = statSync(path).mode;
                }
            }
            if ((mode & 0o077) !== 0) {
                throw new MasterKeyError(`${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${path}\`.`);
            }
            return decodeMasterKey(readFileSync(path, 'utf8'), path);
        },
    };
}
//# sourceMappingURL=file-master-key.js.map