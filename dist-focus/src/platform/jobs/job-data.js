const isScalar = (value) => value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
/**
 * Job data is ids, not records: a flat object of strings, numbers, booleans and nulls (or lists of
 * them). Refusing nested objects stops the likeliest mistake — passing a person or a request body —
 * before it is stored in clear in the queue. The message names the field, never its value.
 */
export function checkJobData(name, data) {
    if (typeof data !== 'object' || data === null || Array.isArray(data) || Object.getPrototypeOf(data) !== Object.prototype) {
        throw new TypeError(`job ${name}: data must be a plain object of ids`);
    }
    for (const [key, value] of Object.entries(data)) {
        // undefined is dropped by JSON, like an absent field.
        if (value === undefined || isScalar(value) || (Array.isArray(value) && value.every(isScalar)))
            continue;
        throw new TypeError(`job ${name}: data.${key} must be an id or a list of ids (strings, numbers, booleans), not ${describe(value)}`);
    }
}
function describe(value) {
    if (Array.isArray(value))
        return 'a list of objects';
    if (value instanceof Date)
        return 'a Date (send an ISO string)';
    return `a value of type ${typeof value}`;
}
/** What a failed job records and logs about its error: its type, code and message, never the job's data. */
export function failureSummary(error) {
    if (!(error instanceof Error))
        return { type: typeof error, message: 'a non-Error value was thrown' };
    const code = error.code;
    return { type: error.name, ...(typeof code === 'string' ? { code } : {}), message: error.message };
}
//# sourceMappingURL=job-data.js.map