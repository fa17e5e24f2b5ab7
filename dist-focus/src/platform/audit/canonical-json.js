/**
 * Canonical JSON: object keys sorted, no insignificant white space, so the same entry always hashes
 * the same. Only plain JSON values are accepted (no undefined, functions, NaN or Infinity).
 */
export function canonicalJson(value) {
    if (value === null || typeof value === 'boolean' || typeof value === 'string')
        return JSON.stringify(value);
    if (typeof value === 'number') {
        if (!Number.isFinite(value))
            throw new TypeError('canonical JSON has no NaN or Infinity');
        return JSON.stringify(value);
    }
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    if (typeof value === 'object') {
        const entries = Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}
//# sourceMappingURL=canonical-json.js.map