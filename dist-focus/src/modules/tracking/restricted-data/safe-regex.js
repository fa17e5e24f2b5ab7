/**
 * Team regexes are untrusted: a pattern like `(a+)+$` makes a backtracking engine (V8's irregexp)
 * take exponential time. Rather than guess at "dangerous shapes" (star height, as `safe-regex2`
 * does, misses `(a|a){1,30}` and polynomial `\d+\d+\d+`), Haven accepts a subset of the syntax whose
 * worst case it can *bound*, and rejects everything else:
 *
 * - no unbounded repetition (`*`, `+`, `{n,}`): only `?` and `{n}` / `{n,m}` with m ≤ 100;
 * - no backreferences, lookahead or lookbehind;
 * - the work a backtracking engine can do from one starting position ("steps") is at most
 *   `MAX_STEPS`, and the longest possible match at most `MAX_MATCH_LENGTH` characters.
 *
 * Steps are counted over the pattern's structure: a term of a sequence is tried once for every way
 * ("path") the terms before it can match, so a sequence costs Σ (paths of its prefix × steps of the
 * term); alternatives add up; a repetition is the sequence of its copies. The work on a string of
 * length L is then below L × steps — linear in the input with a constant the team cannot raise
 * beyond the limits. Counting paths × longest match instead (an earlier rule) let
 * `.{0,9}.{0,9}.{100}.{100}y` through at 100 paths, and it takes seconds: each of its 100 ways into
 * the `.{100}` walks 200 characters. The sum of steps over all of a team's patterns is capped too
 * (`MAX_TOTAL_STEPS`). Patterns are parsed with the `u` flag so the engine reads them by the same
 * strict grammar as this checker.
 */
export const MAX_PATTERN_LENGTH = 500;
export const MAX_STEPS = 1000;
/** All regex detectors of a team together. */
export const MAX_TOTAL_STEPS = 1000;
export const MAX_MATCH_LENGTH = 256;
export const MAX_REPEAT = 100;
/** Counts stop growing here: far above any limit, and safe from overflow to Infinity or NaN. */
const CAP = 1e12;
const capped = (n) => Math.min(n, CAP);
export class UnsafePattern extends Error {
}
const ONE = { min: 1, max: 1, paths: 1, steps: 1 };
const EMPTY = { min: 0, max: 0, paths: 1, steps: 0 };
const ANCHOR = { min: 0, max: 0, paths: 1, steps: 1 };
class Checker {
    src;
    i = 0;
    /** Uses syntax whose meaning needs the `u` flag (\p{…}, \u{…}, astral characters, surrogate escapes). */
    unicode = false;
    constructor(src) {
        this.src = src;
    }
    fail(why) {
        throw new UnsafePattern(why);
    }
    peek(k = 0) {
        return this.src[this.i + k];
    }
    run() {
        const shape = this.disjunction();
        if (this.i < this.src.length)
            this.fail(`Unexpected "${this.peek()}" at position ${this.i + 1}.`);
        return shape;
    }
    disjunction() {
        let acc = this.alternative();
        while (this.peek() === '|') {
            this.i++;
            const b = this.alternative();
            acc = {
                min: Math.min(acc.min, b.min),
                max: Math.max(acc.max, b.max),
                paths: capped(acc.paths + b.paths),
                steps: capped(acc.steps + b.steps),
            };
        }
        return acc;
    }
    alternative() {
        const acc = { ...EMPTY };
        while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
            const t = this.term();
            acc.min += t.min;
            acc.max += t.max;
            acc.steps = capped(acc.steps + acc.paths * t.steps); // tried once per way into it
            acc.paths = capped(acc.paths * t.paths);
        }
        return acc;
    }
    term() {
        const c = this.peek();
        if (c === '^' || c === '$' || (c === '\\' && (this.peek(1) === 'b' || this.peek(1) === 'B'))) {
            this.i += c === '\\' ? 2 : 1;
            if (this.atQuantifier())
                this.fail('An anchor or \\b cannot be repeated.');
            return ANCHOR;
        }
        const atom = this.atom();
        return this.quantified(atom);
    }
    atQuantifier() {
        const c = this.peek();
        return c === '*' || c === '+' || c === '?' || c === '{';
    }
    quantified(atom) {
        const c = this.peek();
        if (c === '*' || c === '+')
            this.fail(`Unbounded repetition "${c}" is not allowed; use a bounded one such as {1,20}.`);
        let lo;
        let hi;
        if (c === '?') {
            this.i++;
            lo = 0;
            hi = 1;
        }
        else if (c === '{') {
            const m = /^\{(\d{1,4})(?:(,)(\d{0,4}))?\}/.exec(this.src.slice(this.i));
            if (!m)
                this.fail('A repetition must be written {n} or {n,m}.');
            lo = Number(m[1]);
            if (m[2] && m[3] === '')
                this.fail('Unbounded repetition "{n,}" is not allowed; give an upper bound such as {1,20}.');
            hi = m[2] ? Number(m[3]) : lo;
            if (hi < lo)
                this.fail('In a repetition {n,m}, m must not be less than n.');
            if (hi > MAX_REPEAT)
                this.fail(`A repetition may allow at most ${MAX_REPEAT} times.`);
            this.i += m[0].length;
        }
        else {
            return atom;
        }
        if (this.peek() === '?')
            this.i++; // lazy: same paths
        if (this.atQuantifier())
            this.fail('A repetition cannot itself be repeated.');
        // The k-th copy (from 0) is tried once for each of the paths ** k ways the copies before it match.
        let paths = 0;
        let steps = 0;
        for (let k = 0; k < hi; k++)
            steps = capped(steps + capped(atom.paths ** k) * atom.steps);
        for (let k = lo; k <= hi; k++)
            paths = capped(paths + capped(atom.paths ** k));
        return { min: atom.min * lo, max: atom.max * hi, paths, steps };
    }
    atom() {
        const c = this.peek();
        switch (c) {
            case '(':
                return this.group();
            case '[':
                return this.characterClass();
            case '\\':
                this.escape();
                return ONE;
            case '.':
                this.i++;
                return ONE;
            case ')':
                this.fail('Unbalanced ")".');
            case '*':
            case '+':
            case '?':
            case '{':
                this.fail(`"${c}" has nothing to repeat.`);
            case ']':
            case '}':
                this.fail(`Escape "${c}" as "\\${c}".`);
            default: {
                const cp = this.src.codePointAt(this.i);
                if (cp > 0xffff)
                    this.unicode = true;
                this.i += cp > 0xffff ? 2 : 1;
                return ONE;
            }
        }
    }
    group() {
        this.i++;
        if (this.peek() === '?') {
            const next = this.peek(1);
            if (next === ':')
                this.i += 2;
            else if (next === '<' && this.peek(2) !== '=' && this.peek(2) !== '!') {
                const close = this.src.indexOf('>', this.i);
                if (close < 0)
                    this.fail('Unterminated group name.');
                this.i = close + 1;
            }
            else
                this.fail('Lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not allowed.');
        }
        const inner = this.disjunction();
        if (this.peek() !== ')')
            this.fail('Missing ")".');
        this.i++;
        return inner;
    }
    characterClass() {
        this.i++;
        while (this.i < this.src.length && this.peek() !== ']') {
            if (this.peek() === '\\')
                this.escape();
            else {
                if (this.src.codePointAt(this.i) > 0xffff)
                    this.unicode = true;
                this.i++;
            }
        }
        if (this.peek() !== ']')
            this.fail('Missing "]".');
        this.i++;
        return ONE;
    }
    /** One escape sequence, starting at the backslash. */
    escape() {
        const e = this.peek(1);
        if (e === undefined)
            this.fail('The pattern ends with a lone "\\".');
        if (/[1-9]/.test(e) || e === 'k')
            this.fail('Backreferences (\\1, \\k<name>) are not allowed.');
        this.i += 2;
        if ((e === 'p' || e === 'P' || e === 'u') && this.peek() === '{') {
            const close = this.src.indexOf('}', this.i);
            if (close < 0)
                this.fail(`Unterminated "\\${e}{".`);
            this.i = close + 1;
            this.unicode = true;
        }
        else if (e === 'p' || e === 'P') {
            this.unicode = true;
        }
        else if (e === 'u') {
            if (/^[dD][89a-fA-F]/.test(this.src.slice(this.i, this.i + 2)))
                this.unicode = true;
            this.i += 4;
        }
        else if (e === 'x')
            this.i += 2;
        else if (e === 'c')
            this.i += 1;
    }
}
/** Check a team pattern against the safe subset; throws UnsafePattern with a reason people can act on. */
export function checkPattern(pattern) {
    if (pattern.length > MAX_PATTERN_LENGTH)
        throw new UnsafePattern(`A pattern is at most ${MAX_PATTERN_LENGTH} characters.`);
    const checker = new Checker(pattern);
    const s = checker.run();
    if (s.steps > MAX_STEPS) {
        throw new UnsafePattern(`The pattern can take too many steps to try at one position (more than ${MAX_STEPS}); use fewer optional parts, alternatives or repetition ranges, or shorter parts after them.`);
    }
    if (s.max > MAX_MATCH_LENGTH)
        throw new UnsafePattern(`The pattern can match up to ${s.max} characters; at most ${MAX_MATCH_LENGTH} are allowed.`);
    if (s.min === 0)
        throw new UnsafePattern('The pattern can match empty text; it must match at least one character.');
    return { minLength: s.min, maxLength: s.max, steps: s.steps, unicode: checker.unicode };
}
//# sourceMappingURL=safe-regex.js.map