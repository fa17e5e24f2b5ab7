import { join } from 'node:path';
import { normaliseEntry } from './entry.js';
import { appendToLedgerFile, readLedgerFile } from './ledger-file.js';
import { insertLedgerRows } from './ledger-table.js';
export { entryKey, entryTime, normaliseEntry, } from './entry.js';
export {} from './ledger-file.js';
export { erasureLedgerSchema, erasureLedgerScopedSchema, erasureLedgerSuppressionsSchema, erasureLedgerUsersSchema, insertLedgerRows, readLedgerTable } from './ledger-table.js';
export { replayErasureLedger } from './replay.js';
export function erasureLedgerPath(config) {
    return config.erasureLedger ?? join(config.dataDir, 'erasure-ledger.jsonl');
}
export function openErasureLedger(config) {
    const path = erasureLedgerPath(config);
    const appendAll = async (entries, tx) => {
        const normalised = entries.map(normaliseEntry);
        await appendToLedgerFile(path, normalised);
        if (tx)
            await insertLedgerRows(tx, normalised);
    };
    return {
        path,
        append: (entry, tx) => appendAll([entry], tx),
        appendAll,
        async *entries() {
            for await (const l of readLedgerFile(path))
                if (l.entry)
                    yield l.entry;
        },
        lines: (readout) => readLedgerFile(path, readout),
    };
}
//# sourceMappingURL=index.js.map