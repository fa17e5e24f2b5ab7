/**
 * Keyword detectors: whole words or phrases, case- and accent-insensitive.
 *
 * Text and terms are folded the same way (NFD, combining marks removed, lower-cased) and all terms
 * of all keyword detectors are matched by one alternation of literals (longest first), which the
 * regex engine runs in linear time: the alternatives are plain text, nothing can backtrack beyond
 * one term's length. Inside a phrase, a run of 1–8 spaces, dashes or underscores stands for the
 * space of the term ("sexually transmitted" matches "sexually-transmitted").
 *
 * A match counts only on word boundaries: the characters around it are not letters or digits
 * ("HIV" is not found in "archive"), or it starts/ends a camelCase word ("hivStatus",
 * "patientHIVStatus"). A percent escape (`%20hiv`) or backslash escape (`\nhiv`) before a term is
 * a boundary.
 */
/**
 * Text folded for matching, with a map back to the original. `text` is built eagerly (cheaply);
 * the index map only when a match needs it, and never for ASCII text, whose indexes are unchanged.
 */
export class FoldedText {
    original;
    text;
    ascii;
    from;
    to;
    constructor(original) {
        this.original = original;
        this.ascii = ASCII.test(original);
        this.text = this.ascii ? original.toLowerCase() : foldNonAscii(original);
    }
    /** Index in the original of the character folded into text[i]. */
    start(i) {
        return this.ascii ? i : this.map().from[i];
    }
    /** Index in the original just after the character folded into text[i]. */
    end(i) {
        return this.ascii ? i + 1 : this.map().to[i];
    }
    map() {
        if (!this.from || !this.to) {
            const from = [];
            const to = [];
            const s = this.original;
            for (let i = 0; i < s.length;) {
                const cp = s.codePointAt(i);
                const w = cp > 0xffff ? 2 : 1;
                const n = cp < 128 ? 1 : foldCodePoint(cp).length;
                for (let k = 0; k < n; k++) {
                    from.push(i);
                    to.push(i + w);
                }
                i += w;
            }
            this.from = from;
            this.to = to;
        }
        return { from: this.from, to: this.to };
    }
}
const ASCII = /^[\x00-\x7f]*$/;
const MARKS = /\p{M}/gu;
const FOLDED = new Map();
function foldCodePoint(cp) {
    let f = FOLDED.get(cp);
    if (f === undefined) {
        f = String.fromCodePoint(cp).normalize('NFD').replace(MARKS, '').toLowerCase();
        if (FOLDED.size < 65_536)
            FOLDED.set(cp, f);
    }
    return f;
}
function foldNonAscii(s) {
    let text = '';
    for (let i = 0; i < s.length;) {
        if (s.charCodeAt(i) < 128) {
            let j = i + 1;
            while (j < s.length && s.charCodeAt(j) < 128)
                j++;
            text += s.slice(i, j).toLowerCase();
            i = j;
            continue;
        }
        const cp = s.codePointAt(i);
        text += foldCodePoint(cp);
        i += cp > 0xffff ? 2 : 1;
    }
    return text;
}
/** Fold text for matching: decompose, drop combining marks, lower-case (character by character). */
export function fold(s) {
    return new FoldedText(s);
}
/** A term as stored: folded, separators collapsed to one space, trimmed. */
export function normaliseTerm(term) {
    return fold(term).text.replace(/[\s_-]+/g, ' ').trim();
}
const ALNUM = /[\p{L}\p{N}]/u;
function isAlnumAt(s, i) {
    const c = s.charCodeAt(i);
    if (c < 128)
        return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0)
        return ALNUM.test(String.fromCodePoint(s.codePointAt(i - 1)));
    return ALNUM.test(String.fromCodePoint(s.codePointAt(i)));
}
const isUpper = (c) => c >= 65 && c <= 90;
const isLowerOrDigit = (c) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isHex = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const escape = (t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// Between the words of a term: spaces, dashes, underscores, and a URL's encoded spaces (`+`, `%20`).
const termSource = (t) => t.split(' ').map(escape).join('(?:[\\s_+-]|%20){1,8}');
const collapse = (matched) => matched.replace(/(?:[\s_+-]|%20)+/g, ' ');
/** Build the matcher; `terms[d]` are the normalised terms of detector index `d`. */
export function keywordMatcher(terms) {
    const owners = new Map();
    for (const [d, list] of terms) {
        for (const t of list) {
            const o = owners.get(t) ?? [];
            if (!o.includes(d))
                o.push(d);
            owners.set(t, o);
        }
    }
    if (owners.size === 0)
        return undefined;
    const sorted = [...owners.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    return {
        any: new RegExp(sorted.map(termSource).join('|'), 'g'),
        owners,
        detectors: [...terms.values()].filter((l) => l.length > 0).length,
        minLength: sorted[sorted.length - 1].length,
        maxSpan: Math.max(...sorted.map((t) => t.length + 23 * (t.split(' ').length - 1))),
    };
}
/** Does a match at folded [a, b) of `original` stand on word boundaries? */
function onBoundaries(original, f, a, b, edges) {
    const t = f.text;
    const oa = f.start(a);
    const ob = f.end(b - 1);
    if (edges[0] && a > 0 && isAlnumAt(t, a - 1)) {
        const c = original.charCodeAt(oa);
        const p = original.charCodeAt(oa - 1);
        const camel = isUpper(c) && isLowerOrDigit(p);
        const escaped = (oa >= 3 && original.charCodeAt(oa - 3) === 37 && isHex(p) && isHex(original.charCodeAt(oa - 2))) || (oa >= 2 && original.charCodeAt(oa - 2) === 92);
        if (!camel && !escaped)
            return false;
    }
    if (edges[1] && b < t.length && isAlnumAt(t, b)) {
        const last = original.charCodeAt(ob - 1);
        const next = original.charCodeAt(ob);
        const camel = isUpper(next) && (isLowerOrDigit(last) || (isUpper(last) && original.charCodeAt(ob + 1) >= 97 && original.charCodeAt(ob + 1) <= 122));
        if (!camel)
            return false;
    }
    return true;
}
/**
 * Another term at folded position `a` that stands on word boundaries, when the first one found did
 * not: try each word end after `a`, farthest first. Bounded by `maxSpan`, not by the number of terms.
 */
function shorterTerm(m, s, f, a) {
    const t = f.text;
    for (let j = Math.min(t.length, a + m.maxSpan); j >= a + m.minLength; j--) {
        if (j < t.length && isAlnumAt(t, j) && isAlnumAt(t, j - 1) && !isUpper(s.charCodeAt(f.end(j - 1))))
            continue; // not a word end
        const key = collapse(t.slice(a, j));
        if (m.owners.has(key) && onBoundaries(s, f, a, j, edgesOf(key)))
            return { end: j, key };
    }
    return undefined;
}
/**
 * Call `hit(start, end, detectorIndex)` for every term found in `s` (indexes into `s`).
 * Stops early when `hit` returns true.
 */
export function matchKeywords(m, s, hit) {
    const f = fold(s);
    const t = f.text;
    if (t.length < m.minLength)
        return;
    const re = m.any;
    re.lastIndex = 0;
    for (let r = re.exec(t); r; r = re.exec(t)) {
        const a = r.index;
        let b = a + r[0].length;
        let key = collapse(r[0]);
        if (!onBoundaries(s, f, a, b, edgesOf(key))) {
            // The longest term here is not a whole word; a shorter one at the same place may be.
            const shorter = shorterTerm(m, s, f, a);
            if (!shorter) {
                re.lastIndex = a + 1;
                continue;
            }
            ({ end: b, key } = shorter);
            re.lastIndex = b;
        }
        const oa = f.start(a);
        const ob = f.end(b - 1);
        for (const d of m.owners.get(key) ?? [])
            if (hit(oa, ob, d) === true)
                return;
    }
}
function edgesOf(term) {
    return [isAlnumAt(term, 0), isAlnumAt(term, term.length - 1)];
}
//# sourceMappingURL=keywords.js.map