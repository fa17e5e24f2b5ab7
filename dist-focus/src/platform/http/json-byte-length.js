/**
 * The UTF-8 length in bytes of `JSON.stringify(value)`, without building the text: ingest measures
 * every event against its size limit. Exact for what JSON.parse makes — plain objects and arrays,
 * strings, numbers, booleans, null — and for undefined members (left out of objects, null in
 * arrays, as JSON.stringify does). Anything else (a class instance, a toJSON, a bigint) is
 * measured by stringifying that part.
 */
export function jsonByteLength(value) {
    switch (typeof value) {
        case 'string':
            return stringBytes(value);
        case 'number':
            return Number.isFinite(value) ? String(value).length : 4; // NaN and ±Infinity are written null
        case 'boolean':
            return value ? 4 : 5;
        case 'object': {
            if (value === null)
                return 4;
            if (Array.isArray(value)) {
                let n = value.length > 0 ? 1 + value.length : 2; // brackets and commas
                for (let i = 0; i < value.length; i++)
                    n += isSkipped(value[i]) ? 4 : jsonByteLength(value[i]);
                return n;
            }
            const proto = Object.getPrototypeOf(value);
            if ((proto !== Object.prototype && proto !== null) || typeof value.toJSON === 'function')
                return stringified(value);
            let n = 1; // '{', then a ',' or the closing '}' after each member
            let members = 0;
            for (const key of Object.keys(value)) {
                const member = value[key];
                if (isSkipped(member))
                    continue;
                n += stringBytes(key) + 1 + jsonByteLength(member) + 1;
                members++;
            }
            return members === 0 ? 2 : n;
        }
        default:
            return stringified(value);
    }
}
/** Members JSON.stringify leaves out of an object (and writes as null in an array). */
const isSkipped = (v) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
function stringified(value) {
    const text = JSON.stringify(value);
    return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}
/** Printable ASCII other than `"` and `\`: one byte a character, nothing escaped (most text). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** A JSON string's bytes: quotes, escapes (`\n`, `\u0001`, a lone surrogate's `\udxxx`) and UTF-8. */
function stringBytes(s) {
    if (PLAIN.test(s))
        return s.length + 2;
    let n = 2;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x80) {
            if (c >= 0x20)
                n += c === 0x22 || c === 0x5c ? 2 : 1;
            else
                n += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
        }
        else if (c < 0x800) {
            n += 2;
        }
        else if (c >= 0xd800 && c <= 0xdfff) {
            const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
            if (pair)
                i++;
            n += pair ? 4 : 6;
        }
        else {
            n += 3;
        }
    }
    return n;
}
//# sourceMappingURL=json-byte-length.js.map