/**
 * Errors after which the same transaction, run again from the start, may well succeed: PostgreSQL
 * chose it as a deadlock's victim (40P01) or refused it for a serialization conflict (40001).
 */
const TRANSIENT_CODES = new Set(['40P01', '40001']);
export function isTransient(error) {
    return typeof error === 'object' && error !== null && TRANSIENT_CODES.has(error.code);
}
/** Thrown by code that finds the rows it read meanwhile changed under it: run the transaction again. */
export class ChangedMeanwhile extends Error {
    code = '40001';
    constructor(what) {
        super(`${what} changed meanwhile; the transaction is run again`);
    }
}
/**
 * Run `attempt` — one whole transaction — again while it fails for a transient reason, `runs`
 * times at most. Only for work whose every effect is in that transaction: a failed run left none.
 */
export async function retryTransient(attempt, runs = 3) {
    for (let run = 1;; run++) {
        try {
            return await attempt();
        }
        catch (error) {
            if (run >= runs || !isTransient(error))
                throw error;
        }
    }
}
//# sourceMappingURL=transient-error.js.map