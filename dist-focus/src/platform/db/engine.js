/** The restricted role that serves tenant data: NOSUPERUSER, NOBYPASSRLS, owns nothing. */
export const APP_ROLE = 'haven_app';
/** `SELECT set_config('role', …, true), set_config(k, v, true), …` and its parameters. */
export function scopeStatement(role, settings = {}) {
    const params = [role];
    const calls = [`set_config('role', $1, true)`];
    for (const [name, value] of Object.entries(settings)) {
        params.push(name, value);
        calls.push(`set_config($${params.length - 1}, $${params.length}, true)`);
    }
    return { text: `SELECT ${calls.join(', ')}`, params };
}
/**
 * A transaction handle used after its function returned. On PostgreSQL the connection is back in
 * the pool by then, maybe serving another team's transaction, so a kept handle must not reach it.
 */
export class TransactionEndedError extends Error {
    constructor() {
        super('this transaction has ended; its handle cannot be used any more');
        this.name = 'TransactionEndedError';
    }
}
/** Run a transaction's `whenDone` callbacks: each one, whatever the others do. */
export function settle(done, committed) {
    for (const fn of done) {
        try {
            fn(committed);
        }
        catch (error) {
            process.emitWarning(`a transaction's whenDone callback failed: ${error.message}`);
        }
    }
}
//# sourceMappingURL=engine.js.map