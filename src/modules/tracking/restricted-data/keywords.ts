/**
 * Keyword detectors: whole words or phrases, case- and accent-insensitive.
 *
 * Text and terms are folded the same way (NFKD, combining marks and invisible characters removed,
 * lower-cased) and all terms of all keyword detectors are matched by one regex built from their
 * trie (shared beginnings written once, longer terms tried first): at each position the engine
 * follows one path, as long as the longest term, whatever the number of terms — a flat alternation
 * re-read a shared prefix once per term (seconds for thousands of phrases that begin alike).
 * Inside a phrase, a run of 1–8 spaces, dashes or underscores stands for the space of the term
 * ("sexually transmitted" matches "sexually-transmitted").
 *
 * A match counts only on word boundaries: the characters around it are not letters or digits
 * ("HIV" is not found in "archive"), or it starts/ends a camelCase word ("hivStatus",
 * "patientHIVStatus"). A percent escape (`%20hiv`) or backslash escape (`\nhiv`) before a term is
 * a boundary.
 */

import { foldMap, rememberedFold } from './code-point-fold.js';

/**
 * Text folded for matching, with a map back to the original. `text` is built eagerly (cheaply);
 * the index map only when a match needs it, and never for ASCII text, whose indexes are unchanged.
 */
export class FoldedText {
  readonly text: string;
  private readonly ascii: boolean;
  private from?: number[];
  private to?: number[];

  constructor(readonly original: string) {
    this.ascii = ASCII.test(original);
    this.text = this.ascii ? original.toLowerCase() : foldNonAscii(original);
  }

  /** Index in the original of the character folded into text[i]. */
  start(i: number): number {
    return this.ascii ? i : this.map().from[i]!;
  }

  /** Index in the original just after the character folded into text[i]. */
  end(i: number): number {
    return this.ascii ? i + 1 : this.map().to[i]!;
  }

  private map(): { from: number[]; to: number[] } {
    if (!this.from || !this.to) ({ from: this.from, to: this.to } = foldMap(this.original, foldCodePoint));
    return { from: this.from, to: this.to };
  }
}

const ASCII = /^[\x00-\x7f]*$/;
// Combining marks, and characters that show nothing (soft hyphen, zero-width joiners…).
const MARKS = /[\p{M}\p{Default_Ignorable_Code_Point}]/gu;
// NFKD: compatibility forms too — full-width ＨＩＶ, 𝐡𝐢𝐯, ⓗⓘⓥ read as hiv.
const foldCodePoint = rememberedFold((cp) => String.fromCodePoint(cp).normalize('NFKD').replace(MARKS, '').toLowerCase());

function foldNonAscii(s: string): string {
  let text = '';
  for (let i = 0; i < s.length; ) {
    if (s.charCodeAt(i) < 128) {
      let j = i + 1;
      while (j < s.length && s.charCodeAt(j) < 128) j++;
      text += s.slice(i, j).toLowerCase();
      i = j;
      continue;
    }
    const cp = s.codePointAt(i)!;
    text += foldCodePoint(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return text;
}

/** Fold text for matching: decompose, drop combining marks, lower-case (character by character). */
export function fold(s: string): FoldedText {
  return new FoldedText(s);
}

/** A term as stored: folded, separators collapsed to one space, trimmed. */
export function normaliseTerm(term: string): string {
  return fold(term).text.replace(/[\s_-]+/g, ' ').trim();
}

const ALNUM = /[\p{L}\p{N}]/u;
function isAlnumAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  if (c >= 0xdc00 && c <= 0xdfff && i > 0) return ALNUM.test(String.fromCodePoint(s.codePointAt(i - 1)!));
  return ALNUM.test(String.fromCodePoint(s.codePointAt(i)!));
}
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLowerOrDigit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

export interface KeywordMatcher {
  /** All terms (global), applied to folded text: the longest term at a position matches. */
  readonly any: RegExp;
  /** The terms' trie, walked for a whole-word term where the longest is not one (shorterTerm). */
  readonly trie: TermNode;
  /** Normalised term → indexes of the detectors that list it. */
  readonly owners: ReadonlyMap<string, readonly number[]>;
  /** How many detectors the terms belong to. */
  readonly detectors: number;
  readonly minLength: number;
}

/** A trie of normalised terms; `' '` stands for a run of separators (SEPARATOR). */
interface TermNode {
  readonly next: Map<string, TermNode>;
  /** The term that ends here, if one does. */
  term?: string;
}

function termTrie(terms: readonly string[]): TermNode {
  const root: TermNode = { next: new Map() };
  for (const t of terms) {
    let node = root;
    for (const c of t) {
      let child = node.next.get(c);
      if (!child) node.next.set(c, (child = { next: new Map() }));
      node = child;
    }
    node.term = t;
  }
  return root;
}

/** The trie as a regex source: a branch per distinct next character, going on before ending (so the longest term wins). */
function trieSource(node: TermNode): string {
  const branches = [...node.next].map(([c, child]) => (c === ' ' ? SEPARATOR : escape(c)) + trieSource(child));
  if (branches.length === 0) return '';
  if (node.term !== undefined) return `(?:${branches.join('|')})?`;
  return branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
}

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// Between the words of a term: spaces, dashes, underscores, and a URL's encoded spaces (`+`, `%20`).
const SEPARATOR = '(?:[\\s_+-]|%20){1,8}';
const SEPARATOR_AT = /(?:[\s_+-]|%20){1,8}/y;

/** Build the matcher; `terms[d]` are the normalised terms of detector index `d`. */
export function keywordMatcher(terms: ReadonlyMap<number, readonly string[]>): KeywordMatcher | undefined {
  const owners = new Map<string, number[]>();
  for (const [d, list] of terms) {
    for (const t of list) {
      const o = owners.get(t) ?? [];
      if (!o.includes(d)) o.push(d);
      owners.set(t, o);
    }
  }
  if (owners.size === 0) return undefined;
  const trie = termTrie([...owners.keys()]);
  return {
    any: new RegExp(trieSource(trie), 'g'),
    trie,
    owners,
    detectors: [...terms.values()].filter((l) => l.length > 0).length,
    minLength: Math.min(...[...owners.keys()].map((t) => t.length)),
  };
}

/** Does a match at folded [a, b) of `original` stand on word boundaries? */
function onBoundaries(original: string, f: FoldedText, a: number, b: number, edges: readonly [boolean, boolean]): boolean {
  const t = f.text;
  const oa = f.start(a);
  const ob = f.end(b - 1);
  if (edges[0] && a > 0 && isAlnumAt(t, a - 1)) {
    const c = original.charCodeAt(oa);
    const p = original.charCodeAt(oa - 1);
    const camel = isUpper(c) && isLowerOrDigit(p);
    const escaped = (oa >= 3 && original.charCodeAt(oa - 3) === 37 && isHex(p) && isHex(original.charCodeAt(oa - 2))) || (oa >= 2 && original.charCodeAt(oa - 2) === 92);
    if (!camel && !escaped) return false;
  }
  if (edges[1] && b < t.length && isAlnumAt(t, b)) {
    const last = original.charCodeAt(ob - 1);
    const next = original.charCodeAt(ob);
    const camel = isUpper(next) && (isLowerOrDigit(last) || (isUpper(last) && original.charCodeAt(ob + 1) >= 97 && original.charCodeAt(ob + 1) <= 122));
    if (!camel) return false;
  }
  return true;
}

/**
 * Another term at folded position `a` that stands on word boundaries, when the first one found did
 * not: the farthest-reaching one, found by walking the trie along the text — one step per
 * character, however many terms there are.
 */
function shorterTerm(m: KeywordMatcher, s: string, f: FoldedText, a: number): { end: number; key: string } | undefined {
  const t = f.text;
  let found: { end: number; key: string } | undefined;
  let node: TermNode | undefined = m.trie;
  for (let i = a; node && i < t.length; ) {
    const space = node.next.get(' ');
    SEPARATOR_AT.lastIndex = i;
    if (space && SEPARATOR_AT.test(t)) {
      node = space;
      i = SEPARATOR_AT.lastIndex;
      continue;
    }
    node = node.next.get(t[i]!);
    i++;
    if (node?.term !== undefined && onBoundaries(s, f, a, i, edgesOf(node.term))) found = { end: i, key: node.term };
  }
  return found;
}

/**
 * Call `hit(start, end, detectorIndex)` for every term found in `s` (indexes into `s`).
 * Stops early when `hit` returns true.
 */
export function matchKeywords(m: KeywordMatcher, s: string, hit: (start: number, end: number, detector: number) => boolean | void): void {
  const f = fold(s);
  const t = f.text;
  if (t.length < m.minLength) return;
  const re = m.any;
  re.lastIndex = 0;
  let token: RandomToken | undefined; // the last token a match sat in, reused by the matches after it in it
  for (let r = re.exec(t); r; r = re.exec(t)) {
    const a = r.index;
    let b = a + r[0].length;
    let key = r[0].replace(/(?:[\s_+-]|%20)+/g, ' ');
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
    if (!token || oa < token.start || oa >= token.end) token = tokenAround(s, oa, ob);
    if (token.random) {
      re.lastIndex = a + 1;
      continue;
    }
    for (const d of m.owners.get(key) ?? []) if (hit(oa, ob, d) === true) return;
  }
}

const isTokenCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;

interface RandomToken {
  readonly start: number;
  readonly end: number;
  readonly random: boolean;
}

/**
 * The run of token characters around [start, end), and whether it is a random token — an ad-click
 * id (`gclid`), a JWT, a base64url key: 32 or more letters, digits, `-` and `_`, digits in three
 * places or more, letters switching case at least every third pair. Its camelCase-looking edges and
 * `-`/`_` are no word boundaries (`…uoHivNQ…`); names written in words switch case less and keep
 * their numbers together (`HIV_Test_Results_2024_Quarterly_Report`, `Report_2024_Q1_Region_3_HIV_Test`).
 */
function tokenAround(s: string, start: number, end: number): RandomToken {
  let a = start;
  let b = end;
  while (a > 0 && isTokenCode(s.charCodeAt(a - 1))) a--;
  while (b < s.length && isTokenCode(s.charCodeAt(b))) b++;
  return { start: a, end: Math.max(b, a + 1), random: b - a >= 32 && looksRandom(s, a, b) };
}

function looksRandom(s: string, a: number, b: number): boolean {
  let letters = 0;
  let switches = 0;
  let digitRuns = 0;
  let previous = 0; // 1 lower case, 2 upper case
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57 && !(i > a && s.charCodeAt(i - 1) >= 48 && s.charCodeAt(i - 1) <= 57)) digitRuns++;
    const kind = c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : 0;
    if (kind === 0) continue;
    if (previous !== 0 && kind !== previous) switches++;
    previous = kind;
    letters++;
  }
  return digitRuns >= 3 && letters > 1 && switches * 3 >= letters - 1;
}

function edgesOf(term: string): readonly [boolean, boolean] {
  return [isAlnumAt(term, 0), isAlnumAt(term, term.length - 1)];
}
