/**
 * URL-decoded views of a string, so that detectors see `d%C3%A9pression` as `dépression`,
 * `q=123+45+6789` as `q=123 45 6789` and a double-encoded `%2520` as a space.
 *
 * Decoding never throws: a run of escapes is read as UTF-8, and a byte that does not belong to a
 * valid UTF-8 sequence is read as Latin-1 (`%E9` → `é`, as older sites encode). `+` is read as a
 * space only after the string's first `?` or `=` (a query), so `C++` in free text stays as it is.
 * Each decoded character remembers the [from, to) span of the original string it came from (a
 * whole escape sequence, never part of one), so a match in a view is redacted in the original.
 */
/** Rounds of decoding: enough for double- and triple-encoded text, bounded so the work stays linear. */
export const MAX_DECODE_ROUNDS = 3;
const hexValue = (c) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);
const isEscapeAt = (s, i) => s.charCodeAt(i) === 37 && hexValue(s.charCodeAt(i + 1)) >= 0 && hexValue(s.charCodeAt(i + 2)) >= 0;
/** Does `s` hold a percent escape (`%` and two hex digits)? Allocates nothing. */
export function hasPercentEscape(s) {
    for (let p = s.indexOf('%'); p >= 0; p = s.indexOf('%', p + 1))
        if (isEscapeAt(s, p))
            return true;
    return false;
}
/** Where `s`'s query begins, for `+` as a space: its first `?` or `=`; -1 when it has neither. */
function queryStart(s) {
    const q = s.indexOf('?');
    const e = s.indexOf('=');
    return q < 0 ? e : e < 0 ? q : Math.min(q, e);
}
/** Could decoding change `s`? (A percent escape, or a `+` after a `?` or `=`.) Allocates nothing. */
export function mayBeUrlEncoded(s) {
    if (hasPercentEscape(s))
        return true;
    if (s.indexOf('+') < 0)
        return false;
    const query = queryStart(s);
    return query >= 0 && s.indexOf('+', query) >= 0;
}
/** Length of the UTF-8 sequence starting at bytes[k] (2–4), or 0 when it is not a valid one. */
function utf8Length(bytes, k) {
    const b = bytes[k];
    const cont = (j, lo = 0x80, hi = 0xbf) => k + j < bytes.length && bytes[k + j] >= lo && bytes[k + j] <= hi;
    if (b >= 0xc2 && b <= 0xdf)
        return cont(1) ? 2 : 0;
    if (b >= 0xe0 && b <= 0xef) {
        const ok = b === 0xe0 ? cont(1, 0xa0) : b === 0xed ? cont(1, 0x80, 0x9f) : cont(1); // no overlongs, no surrogates
        return ok && cont(2) ? 3 : 0;
    }
    if (b >= 0xf0 && b <= 0xf4) {
        const ok = b === 0xf0 ? cont(1, 0x90) : b === 0xf4 ? cont(1, 0x80, 0x8f) : cont(1);
        return ok && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}
function codePointOf(bytes, k, len) {
    if (len === 2)
        return ((bytes[k] & 0x1f) << 6) | (bytes[k + 1] & 0x3f);
    if (len === 3)
        return ((bytes[k] & 0x0f) << 12) | ((bytes[k + 1] & 0x3f) << 6) | (bytes[k + 2] & 0x3f);
    return ((bytes[k] & 0x07) << 18) | ((bytes[k + 1] & 0x3f) << 12) | ((bytes[k + 2] & 0x3f) << 6) | (bytes[k + 3] & 0x3f);
}
/**
 * `view` decoded once more, or undefined when decoding changes nothing. With `withMap`, the result
 * maps each character back to the original string (through `view`'s own map).
 */
export function urlDecodeOnce(view, withMap) {
    const s = view.text;
    if (!mayBeUrlEncoded(s))
        return undefined;
    if (s.indexOf('%') < 0)
        return plusesDecoded(view, withMap);
    const n = s.length;
    let out = '';
    const from = withMap ? [] : undefined;
    const to = withMap ? [] : undefined;
    /** Append `text`, which came from view[a, b). */
    const emit = (text, a, b) => {
        out += text;
        if (!from || !to)
            return;
        const oa = view.from ? view.from[a] : a;
        const ob = view.to ? view.to[b - 1] : b;
        for (let k = 0; k < text.length; k++) {
            from.push(oa);
            to.push(ob);
        }
    };
    let inQuery = false;
    let plain = 0; // start of the text not yet copied
    const flush = (i) => {
        if (i <= plain)
            return;
        if (!from)
            out += s.slice(plain, i);
        else
            for (let k = plain; k < i; k++)
                emit(s[k], k, k + 1);
    };
    let i = 0;
    while (i < n) {
        const c = s.charCodeAt(i);
        if (c === 37 && isEscapeAt(s, i)) {
            flush(i);
            const bytes = [];
            for (let j = i; isEscapeAt(s, j); j += 3)
                bytes.push(hexValue(s.charCodeAt(j + 1)) * 16 + hexValue(s.charCodeAt(j + 2)));
            for (let k = 0; k < bytes.length;) {
                const len = bytes[k] < 0x80 ? 1 : utf8Length(bytes, k);
                const a = i + 3 * k;
                if (len === 0) {
                    emit(String.fromCharCode(bytes[k]), a, a + 3); // not UTF-8: read as Latin-1
                    k++;
                    continue;
                }
                const cp = len === 1 ? bytes[k] : codePointOf(bytes, k, len);
                emit(String.fromCodePoint(cp), a, a + 3 * len);
                if (cp === 63 || cp === 61)
                    inQuery = true;
                k += len;
            }
            i += 3 * bytes.length;
            plain = i;
            continue;
        }
        if (c === 43 && inQuery) {
            flush(i);
            emit(' ', i, i + 1);
            plain = ++i;
            continue;
        }
        if (c === 63 || c === 61)
            inQuery = true;
        i++;
    }
    flush(n);
    if (out === s)
        return undefined;
    return { text: out, from: from && Int32Array.from(from), to: to && Int32Array.from(to), escapes: true };
}
/** `view` with each `+` after its first `?` or `=` read as a space (it holds no percent escape): the same length and map. */
function plusesDecoded(view, withMap) {
    const s = view.text;
    const query = queryStart(s);
    const text = s.slice(0, query) + s.slice(query).replaceAll('+', ' ');
    if (!withMap)
        return { text, from: undefined, to: undefined, escapes: false };
    const identity = () => Int32Array.from({ length: s.length }, (_, i) => i);
    return { text, from: view.from ?? identity(), to: view.to ?? identity().map((i) => i + 1), escapes: false };
}
//# sourceMappingURL=url-decoded.js.map