/**
 * Payment card numbers (PANs) inside any string, without regular expressions: one pass over the
 * characters, so a long digit string costs the same as any other string of its length.
 *
 * A candidate is a *run*: digits (plain, full-width, or percent-encoded `%30`–`%39`) where
 * consecutive digits are separated by a gap of at most three separators (spaces of any kind, dashes,
 * `+`, `%20`, `%2D`, `%2B`; see separatorToken), so `4111  1111` and `4111 - 1111` join. The
 * gaps split a run into *groups*. A card is a window of whole, consecutive groups:
 *
 * - 13–19 digits in all, each group at least 3 digits (no card is written in groups of 1–2, and
 *   lists of small numbers would otherwise offer many windows);
 * - never part of a longer group: a 25-digit id is one group of 25 and yields nothing;
 * - Luhn-valid, with an issuer prefix and length from `CARD_BRANDS`;
 * - not glued to a letter or to a decimal point (`ab4111…`, `0.4111…`, `4111….5`): hex hashes and
 *   floats are digit-rich; percent escapes (`%3D4111…`) and backslash escapes (`\n4111…`) count as
 *   separators, not letters;
 * - not inside a UUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`), nor inside a valid IBAN (`DE87 5001
 *   0517 0627 9594 60` holds `5001 0517 0627 9594`, a Luhn-valid Maestro number one time in ten).
 */

export interface CardBrand {
  readonly name: string;
  /** Inclusive ranges of the first digits, both ends with the same number of digits. */
  readonly prefixes: readonly (readonly [number, number])[];
  readonly lengths: readonly number[];
}

const range = (lo: number, hi: number) => [lo, hi] as const;
const lengths = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/**
 * Issuer identification (IIN) prefixes and PAN lengths Haven treats as a plausible card. Lengths
 * are deliberately narrower than each scheme's theoretical range where the short forms are no longer
 * issued and collide with common ids (see docs/decisions/0009-restricted-data-guard.md).
 */
export const CARD_BRANDS: readonly CardBrand[] = [
  { name: 'visa', prefixes: [range(4, 4)], lengths: [16, 19] },
  { name: 'mastercard', prefixes: [range(51, 55), range(2221, 2720)], lengths: [16] },
  { name: 'mir', prefixes: [range(2200, 2204)], lengths: [16] },
  { name: 'amex', prefixes: [range(34, 34), range(37, 37)], lengths: [15] },
  { name: 'discover', prefixes: [range(6011, 6011), range(644, 649), range(65, 65), range(622126, 622925)], lengths: lengths(16, 19) },
  { name: 'jcb', prefixes: [range(3528, 3589)], lengths: lengths(16, 19) },
  { name: 'diners', prefixes: [range(300, 305), range(3095, 3095), range(36, 36), range(38, 39)], lengths: [14, 16] },
  { name: 'unionpay', prefixes: [range(62, 62)], lengths: lengths(16, 19) },
  { name: 'maestro', prefixes: [range(50, 50), range(56, 58), range(6304, 6304), range(639, 639), range(67, 67)], lengths: lengths(16, 19) },
];

const digitCount = (n: number) => (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : n < 100_000 ? 5 : 6);
const BRAND_TABLE = CARD_BRANDS.map((b) => ({
  name: b.name,
  prefixes: b.prefixes.map(([lo, hi]) => ({ lo, hi, k: digitCount(lo) })),
  lengthMask: b.lengths.reduce((m, l) => m | (1 << l), 0),
}));

/** The brand of `len` digits at `digits[start…]`, or undefined when no brand issues such a number. */
export function cardBrand(digits: ArrayLike<number>, start: number, len: number): string | undefined {
  const prefix = [0, 0, 0, 0, 0, 0, 0];
  for (let k = 1; k <= 6 && k <= len; k++) prefix[k] = prefix[k - 1]! * 10 + digits[start + k - 1]!;
  for (const b of BRAND_TABLE) {
    if ((b.lengthMask & (1 << len)) === 0) continue;
    for (const p of b.prefixes) {
      const v = prefix[p.k]!;
      if (v >= p.lo && v <= p.hi) return b.name;
    }
  }
  return undefined;
}

export function luhnValid(digits: ArrayLike<number>, start: number, len: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = start + len - 1; i >= start; i--) {
    let d = digits[i]!;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Is `digits` (a plain digit string) a Luhn-valid number of a supported brand? */
export function isPlausibleCard(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  const d = Array.from(digits, (c) => c.charCodeAt(0) - 48);
  return luhnValid(d, 0, d.length) && cardBrand(d, 0, d.length) !== undefined;
}

// Scratch buffers reused across calls (the scanner is synchronous and not re-entrant).
let DIG = new Uint8Array(256);
let G_DIG = new Int32Array(32); // offset of the group's first digit in DIG
let G_LEN = new Int32Array(32);
let G_RAW = new Int32Array(32); // index in the string of the group's first character

const MIN_GROUP = 3;
const MIN_PAN = 13;
const MAX_PAN = 19;
const MAX_GROUPS_PER_WINDOW = Math.floor(MAX_PAN / MIN_GROUP);

const isDigitCode = (c: number) => c >= 48 && c <= 57;
const isHexCode = (c: number) => isDigitCode(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
// Letters that glue a number into a word: those of scripts written with spaces between words. In
// Chinese, Japanese, Korean, Thai, Arabic or Hebrew text a number sits against the letters as a
// matter of course (`卡号4111…`), so it is not glued by them.
const SPACED_LETTER = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}]/u;
const LETTER = /\p{L}/u;
const isLetterCode = (c: number) => isAsciiLetter(c) || (c > 127 && LETTER.test(String.fromCharCode(c)) && SPACED_LETTER.test(String.fromCharCode(c)));

/**
 * Invisible characters that change nothing a reader sees: soft hyphen, zero-width space, joiner and
 * non-joiner, direction marks and embeddings, word joiner and invisible operators, the Mongolian
 * vowel separator, variation selectors, zero-width no-break space. Skipped wherever they stand —
 * between two digits too — so `4\u200b1\u200b1…` or `4111\u200d1111…` reads as the number it shows.
 */
const isIgnorableCode = (c: number) =>
  c === 0xad ||
  c === 0x180e ||
  (c >= 0x200b && c <= 0x200f) ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2060 && c <= 0x2064) ||
  (c >= 0x2066 && c <= 0x2069) ||
  (c >= 0xfe00 && c <= 0xfe0f) ||
  c === 0xfeff;

/**
 * The value of every decimal digit of the Basic Multilingual Plane that is not ASCII (full-width
 * `７`, Arabic-Indic `٧`, Persian `۷`, Devanagari `७`, Thai `๗`, …), else -1. Unicode keeps each
 * script's digits as a run of ten from its zero; the table is made once, at load.
 */
const OTHER_DIGIT = (() => {
  const table = new Int8Array(0x10000).fill(-1);
  const decimal = /\p{Nd}/u;
  for (let c = 128; c < 0x10000; c++) if (decimal.test(String.fromCharCode(c))) table[c] = -2;
  // Runs of ten: the first of each is its zero.
  for (let c = 128; c < 0x10000; ) {
    if (table[c] !== -2) {
      c++;
      continue;
    }
    for (let v = 0; v < 10 && table[c] === -2; v++, c++) table[c] = v;
  }
  return table;
})();
const isOtherDigit = (c: number) => c > 127 && c < 0x10000 && OTHER_DIGIT[c]! >= 0;

/**
 * Length of the digit token at i (1 for `7` or another script's `７`, `٧`, 3 for `%37`, and any invisible
 * characters before it), or 0. Its digit is its last character.
 */
function digitToken(s: string, i: number): number {
  let k = i;
  while (isIgnorableCode(s.charCodeAt(k))) k++;
  const c = s.charCodeAt(k);
  if (isDigitCode(c) || isOtherDigit(c)) return k - i + 1;
  if (c === 37 && s.charCodeAt(k + 1) === 51 && isDigitCode(s.charCodeAt(k + 2))) return k - i + 3;
  return 0;
}

/**
 * Is `c` a separator character between digit groups? Space, dash, plus; every Unicode space
 * separator (no-break U+00A0, the typographic spaces U+2000–U+200A, narrow no-break U+202F,
 * ideographic U+3000, …); the dashes and minus signs (U+2010–U+2015, U+2212, small and full-width
 * hyphen-minus); and the invisible characters that only hide a number's shape (zero-width space,
 * word joiner, zero-width no-break space, soft hyphen). Not tabs or line breaks: columns and lines
 * of short numbers would join into card-length runs.
 */
function isSeparatorCode(c: number): boolean {
  if (c < 128) return c === 32 || c === 45 || c === 43;
  return (
    c === 0xa0 ||
    c === 0xad ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    (c >= 0x2010 && c <= 0x2015) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x2060 ||
    c === 0x2212 ||
    c === 0x3000 ||
    c === 0xfe63 ||
    c === 0xfeff ||
    c === 0xff0b ||
    c === 0xff0d
  );
}

/** Length of the separator token at i, or 0: a separator character, or the percent-encoded `%20`, `%2D`, `%2B`. */
function separatorToken(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (isSeparatorCode(c)) return 1;
  if (c === 37 && s.charCodeAt(i + 1) === 50) {
    const e = s.charCodeAt(i + 2);
    if (e === 48 || e === 68 || e === 100 || e === 66 || e === 98) return 3;
  }
  return 0;
}

/** Most separator tokens between two groups: `4111  1111` and `4111 - 1111` are one card. */
const MAX_GAP_TOKENS = 3;

/** Length of the gap at i (1–MAX_GAP_TOKENS separator tokens, invisible characters not counted) when a digit follows it, else 0. */
function gapBeforeDigit(s: string, i: number): number {
  let at = i;
  for (let k = 0; k < MAX_GAP_TOKENS; k++) {
    while (isIgnorableCode(s.charCodeAt(at))) at++;
    const t = separatorToken(s, at);
    if (t === 0) break;
    at += t;
    if (digitToken(s, at) > 0) return at - i;
  }
  return 0;
}

/** Is the run starting at i glued to what comes before (a letter or `digit.`)? */
function gluedBefore(s: string, i: number): boolean {
  if (i === 0) return false;
  const p = s.charCodeAt(i - 1);
  if (p === 46) return i >= 2 && isDigitCode(s.charCodeAt(i - 2));
  if (!isLetterCode(p)) return false;
  if (i >= 3 && s.charCodeAt(i - 3) === 37 && isHexCode(p) && isHexCode(s.charCodeAt(i - 2))) return false; // %3D4111…
  if (i >= 2 && s.charCodeAt(i - 2) === 92) return false; // \n4111…
  return true;
}

/** Is the run ending before j glued to what follows (a letter or `.digit`)? */
function gluedAfter(s: string, j: number): boolean {
  if (j >= s.length) return false;
  const c = s.charCodeAt(j);
  if (c === 46) return digitToken(s, j + 1) > 0;
  return isLetterCode(c);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
function insideUuid(s: string, start: number, end: number): boolean {
  if (end - start > 36) return false;
  const from = Math.max(0, end - 36);
  const window = s.slice(from, Math.min(s.length, start + 36));
  UUID.lastIndex = 0;
  for (let m = UUID.exec(window); m; m = UUID.exec(window)) {
    if (from + m.index <= start && from + m.index + 36 >= end) return true;
    UUID.lastIndex = m.index + 1;
  }
  return false;
}

/**
 * An IBAN: country code, two check digits, then 11–30 letters or digits, written together or in
 * groups (gaps of up to MAX_GAP_TOKENS spaces, dashes or `+`). Bounded repetition whose parts
 * cannot overlap (a gap character is never a letter or digit), on a slice of at most ~240
 * characters around a candidate: no runaway backtracking.
 */
const IBAN_SEPARATORS = '[ +\\u00a0\\u2000-\\u200b\\u202f\\u3000-]';
const IBAN = new RegExp(`(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?:${IBAN_SEPARATORS}{0,${MAX_GAP_TOKENS}}[A-Z0-9]){11,30}(?![A-Za-z0-9])`, 'g');
const IBAN_SEPARATOR = new RegExp(IBAN_SEPARATORS, 'g');
const IBAN_MAX = 34 + 33 * MAX_GAP_TOKENS; // characters and a gap between each two

/** ISO 13616's check: the rearranged IBAN, letters as 10–35, is 1 modulo 97. */
export function ibanValid(compact: string): boolean {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (let k = 0; k < rearranged.length; k++) {
    const c = rearranged.charCodeAt(k);
    const v = c <= 57 ? c - 48 : c - 55;
    rest = (v >= 10 ? rest * 100 + v : rest * 10 + v) % 97;
  }
  return rest === 1;
}

function insideIban(s: string, start: number, end: number): boolean {
  const from = Math.max(0, end - IBAN_MAX);
  const window = s.slice(from, Math.min(s.length, start + IBAN_MAX));
  IBAN.lastIndex = 0;
  for (let m = IBAN.exec(window); m; m = IBAN.exec(window)) {
    if (from + m.index <= start && from + m.index + m[0].length >= end && ibanValid(m[0].replace(IBAN_SEPARATOR, ''))) return true;
  }
  return false;
}

function grow<T extends Uint8Array | Int32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

const NO_CARDS: readonly number[] = Object.freeze([]);

/**
 * Every payment card in `s`, as `[start, end)` index pairs into `s` (ascending, possibly
 * overlapping). `firstOnly` stops at the first one. Allocates nothing for a string without one
 * (the guard calls this for every string of every event).
 */
export function findPaymentCards(s: string, firstOnly = false): readonly number[] {
  let out: number[] | undefined;
  const n = s.length;
  let i = 0;
  while (i < n) {
    // Skip to the next digit token (the hot loop: most characters are neither digits nor "%").
    const c = s.charCodeAt(i);
    if ((c > 57 && !isOtherDigit(c)) || (c < 48 && c !== 37) || (c === 37 && digitToken(s, i) === 0)) {
      i++;
      continue;
    }
    const startGlued = gluedBefore(s, i);
    let nd = 0;
    let ng = 0;
    for (;;) {
      const rawStart = i;
      const digStart = nd;
      for (let t = digitToken(s, i); t > 0; t = digitToken(s, i)) {
        if (nd === DIG.length) DIG = grow(DIG, nd + 1);
        const d = s.charCodeAt(i + t - 1);
        DIG[nd++] = d > 127 ? OTHER_DIGIT[d]! : d - 48;
        i += t;
      }
      const rawEnd = i;
      const len = nd - digStart;
      const sep = gapBeforeDigit(s, i);
      const continues = sep > 0;
      if (ng === G_LEN.length) {
        G_DIG = grow(G_DIG, ng + 1);
        G_LEN = grow(G_LEN, ng + 1);
        G_RAW = grow(G_RAW, ng + 1);
      }
      G_DIG[ng] = digStart;
      G_LEN[ng] = len;
      G_RAW[ng] = rawStart;
      // Windows of whole groups that end with this group.
      if (len >= MIN_GROUP && len <= MAX_PAN && (continues || !gluedAfter(s, rawEnd))) {
        let sum = 0;
        for (let j = ng; j >= 0 && j > ng - MAX_GROUPS_PER_WINDOW; j--) {
          const l = G_LEN[j]!;
          if (l < MIN_GROUP) break;
          sum += l;
          if (sum > MAX_PAN || (j === 0 && startGlued)) break;
          if (sum < MIN_PAN) continue;
          const d0 = G_DIG[j]!;
          if (luhnValid(DIG, d0, sum) && cardBrand(DIG, d0, sum) !== undefined && !insideUuid(s, G_RAW[j]!, rawEnd) && !insideIban(s, G_RAW[j]!, rawEnd)) {
            (out ??= []).push(G_RAW[j]!, rawEnd);
            if (firstOnly) return out;
          }
        }
      }
      ng++;
      if (!continues) break;
      i += sep;
    }
  }
  return out ?? NO_CARDS;
}
