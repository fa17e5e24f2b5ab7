/**
 * Team patterns are RE2 patterns, but teams write them as JavaScript taught them (and patterns
 * saved before Haven used RE2 were JavaScript's): these spellings are rewritten to what RE2 reads
 * with the same meaning. Everything else is left for RE2 to accept or refuse.
 */

import { RE2JS } from 're2js';

/** Code point ranges, [first, last] each, in order and apart. */
type Ranges = readonly (readonly [number, number])[];

/** JavaScript's `\s`: ASCII whitespace, the Unicode spaces, line and paragraph separators, BOM. RE2's `\s` is ASCII only. */
const SPACE: Ranges = [[0x9, 0xd], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
/** JavaScript's `.` without the `s` flag: any character but a line end. */
const NOT_LINE_END = '[^\\n\\r\\x{2028}\\x{2029}]';

/** General categories by their long names (and POSIX-like aliases), as `\p{…}` accepts them in JavaScript. */
const CATEGORY: Record<string, string> = {
  Letter: 'L', Cased_Letter: 'LC', Uppercase_Letter: 'Lu', Lowercase_Letter: 'Ll', Titlecase_Letter: 'Lt', Modifier_Letter: 'Lm', Other_Letter: 'Lo',
  Mark: 'M', Combining_Mark: 'M', Nonspacing_Mark: 'Mn', Spacing_Mark: 'Mc', Enclosing_Mark: 'Me',
  Number: 'N', Decimal_Number: 'Nd', digit: 'Nd', Letter_Number: 'Nl', Other_Number: 'No',
  Punctuation: 'P', punct: 'P', Connector_Punctuation: 'Pc', Dash_Punctuation: 'Pd', Open_Punctuation: 'Ps', Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi', Final_Punctuation: 'Pf', Other_Punctuation: 'Po',
  Symbol: 'S', Math_Symbol: 'Sm', Currency_Symbol: 'Sc', Modifier_Symbol: 'Sk', Other_Symbol: 'So',
  Separator: 'Z', Space_Separator: 'Zs', Line_Separator: 'Zl', Paragraph_Separator: 'Zp',
  Other: 'C', Control: 'Cc', cntrl: 'Cc', Format: 'Cf', Surrogate: 'Cs', Private_Use: 'Co', Unassigned: 'Cn',
};

const hex = (cp: number) => `\\x{${cp.toString(16).toUpperCase()}}`;
const classText = (ranges: Ranges) => ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');

/** The code points not in `ranges`. */
function complement(ranges: Ranges): Ranges {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of ranges) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

/** Binary properties by the short names JavaScript also accepts, where RE2 has the property under its long name. */
const BINARY_PROPERTY: Record<string, string> = {
  AHex: 'ASCII_Hex_Digit', Alpha: 'Alphabetic', EBase: 'Emoji_Modifier_Base', EComp: 'Emoji_Component', EMod: 'Emoji_Modifier',
  EPres: 'Emoji_Presentation', ExtPict: 'Extended_Pictographic', Hex: 'Hex_Digit', Lower: 'Lowercase', QMark: 'Quotation_Mark',
  space: 'White_Space', Term: 'Terminal_Punctuation', Upper: 'Uppercase', WSpace: 'White_Space',
};

/** RE2's name for the property of a `\p{name}` or `\p{name=value}` JavaScript knows, when RE2 has it. */
function re2PropertyName(name: string, value: string | undefined): string | undefined {
  const known = (table: Record<string, string>, n: string) => (Object.hasOwn(table, n) ? table[n]! : n);
  const candidate =
    value === undefined ? known(BINARY_PROPERTY, known(CATEGORY, name))
    : name === 'General_Category' || name === 'gc' ? known(CATEGORY, value)
    : name === 'Script' || name === 'sc' ? value
    : undefined; // Script_Extensions: RE2 has none
  if (candidate === undefined) return undefined;
  let has = re2Has.get(candidate);
  if (has === undefined) {
    try {
      RE2JS.compile(`\\p{${candidate}}`);
      has = true;
    } catch {
      has = false; // a four-letter script name, a binary property RE2 lacks
    }
    re2Has.set(candidate, has); // names JavaScript knows: a few hundred at most
  }
  return has ? candidate : undefined;
}
const re2Has = new Map<string, boolean>();

/** Whether JavaScript (with the `u` flag) knows the property of `\p{…}`, given as its braces. */
function javascriptKnows(braced: string): boolean {
  try {
    new RegExp(`\\p${braced}`, 'u');
    return true;
  } catch {
    return false;
  }
}

/**
 * Every code point, in four runs of consecutive ones: below the surrogates, the high and the low
 * surrogates (each alone, as a text may hold them), and above: 4 MB, built to read a property's
 * members (javascriptProperty), and kept until memory is wanted for something else.
 */
let everyCodePointKept: WeakRef<string[]> | undefined;
function everyCodePoint(): string[] {
  const kept = everyCodePointKept?.deref();
  if (kept) return kept;
  const above = new Uint16Array(0x10000 - 0xe000 + 2 * 0x100000);
  let k = 0;
  for (let c = 0xe000; c < 0x10000; c++) above[k++] = c;
  for (let cp = 0x10000; cp <= 0x10ffff; cp++) {
    above[k++] = 0xd800 + ((cp - 0x10000) >> 10);
    above[k++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
  }
  const run = (from: number, to: number) => String.fromCharCode(...Array.from({ length: to - from + 1 }, (_, i) => from + i));
  const below = Array.from({ length: 0xd800 / 0x800 }, (_, i) => run(i * 0x800, i * 0x800 + 0x7ff)).join('');
  const all = [below, run(0xd800, 0xdbff), run(0xdc00, 0xdfff), new TextDecoder('utf-16le').decode(above)];
  everyCodePointKept = new WeakRef(all);
  return all;
}

/** Properties read from JavaScript's tables, the most recently used last. */
const properties = new Map<string, Ranges>();
const REMEMBERED_PROPERTIES = 64;

/**
 * The members of a property JavaScript knows and RE2 does not have (`{Script_Extensions=Greek}`,
 * `{ID_Start}`, `{sc=Grek}`), read off JavaScript's own engine, so that it keeps its JavaScript
 * meaning: one pass of V8's matcher over every code point, ~20–90 ms (more for the first in a
 * process); the last 64 read are remembered.
 */
function javascriptProperty(braced: string): Ranges {
  let ranges = properties.get(braced);
  if (ranges) {
    properties.delete(braced);
  } else {
    const found: [number, number][] = [];
    const members = new RegExp(`\\p${braced}+`, 'gu');
    for (const codePoints of everyCodePoint()) {
      for (const m of codePoints.matchAll(members)) {
        const run = m[0];
        // The last code point is a pair when the one before the last unit reads as one.
        const pair = run.length > 1 ? run.codePointAt(run.length - 2)! : 0;
        found.push([run.codePointAt(0)!, pair > 0xffff ? pair : run.charCodeAt(run.length - 1)]);
      }
    }
    ranges = found;
    if (properties.size >= REMEMBERED_PROPERTIES) properties.delete(properties.keys().next().value!);
  }
  properties.set(braced, ranges);
  return ranges;
}

/** How fromJavaScriptSpellings writes the class escapes it rewrites. */
export interface SpellingOptions {
  /**
   * Told of each use of a Unicode property (`\p{…}`, `\P{…}`, `\pL`): whether RE2 has it (or reads
   * it as its own), or it is to be read off JavaScript's tables; may refuse it by throwing.
   */
  using?: (from: 're2' | 'javascript') => void;
  /**
   * Write every class (`[…]`, `\p{…}`, `\pL`, `\s`, `\S`) as one stand-in character, reading
   * nothing: a pattern with the same structure, cheap to compile, for checks that no class's
   * members can change (whether it can match empty text: a class always takes one character).
   * Only for a pattern whose rewrite RE2 compiles.
   */
  skeleton?: boolean;
}

const STAND_IN = '\\x{41}';
/** A flag group, `(?flags)` or `(?flags:`, at the sticky position. */
const FLAGS = /\(\?([imsU]*)(?:-([imsU]*))?([:)])/y;

/**
 * `pattern` with JavaScript's spellings rewritten for RE2:
 * - `\uXXXX` (a surrogate pair of them as one character), `\u{…}` and `\cX` as `\x{…}`;
 * - `\p{Letter}`, `\p{gc=Lu}`, `\p{Script=Greek}`, `\p{Alpha}` as `\p{L}`, `\p{Lu}`, `\p{Greek}`,
 *   `\p{Alphabetic}`; properties RE2 does not have (`\p{ASCII}`, `\p{Script_Extensions=Greek}`,
 *   `\p{sc=Grek}`, `\p{ID_Start}`) as their members, read off JavaScript's tables
 *   (javascriptProperty); `using` is told of each. A `\p{…}` JavaScript does not know is RE2's
 *   (`\p{Greek}`), or refused;
 * - `\s` and `\S` as JavaScript's whitespace;
 * - `.` as any character but a line end (`\n`, `\r`, U+2028, U+2029), except where RE2's `s` flag is
 *   set (`(?s)`, `(?s:…)`);
 * - `[\b]` (backspace).
 * `[^]` is RE2's start of a negated class whose first member is `]`, not JavaScript's "any character".
 * RE2's own quoting (`\Q…\E`) is left alone, and closed if the pattern ends inside it.
 */
export function fromJavaScriptSpellings(pattern: string, options: SpellingOptions = {}): string {
  let out = '';
  let inClass = false;
  // RE2's `.` also matches \r, U+2028 and U+2029, JavaScript's does not; under RE2's `s` flag
  // both match all. The flag holds from `(?s)` to the end of the group it stands in, or inside
  // `(?s:…)`: each open group keeps the state to restore when it closes.
  let dotAll = false;
  const outerDotAll: boolean[] = [];
  let classFirst = 0; // where the open class's first member is, in `pattern`
  let classOut = 0; // and where the class begins, in `out`
  // The class escapes the open class has had written out: one written twice adds nothing but the
  // time RE2 takes to build it again (a case-folded \S is the whole of Unicode).
  const classWritten = new Set<string>();
  /**
   * Write a class escape rewritten as its members: outside a class as `whole` (a class of its
   * own), inside one as `members` the first time in that class. The skeleton's is one stand-in.
   */
  const writeClassEscape = (key: string, whole: () => string, members: () => string) => {
    if (!inClass) out += options.skeleton ? `[${STAND_IN}]` : whole();
    else if (!classWritten.has(key) && !options.skeleton) out += members(); // the skeleton's class is replaced whole
    classWritten.add(key);
  };
  /** Whether the class escape at `at`, `length` long, stands as an end of a range (`a-\s`, `\s-a`). */
  const inRange = (at: number, length: number) =>
    inClass && ((pattern[at - 1] === '-' && at - 1 > classFirst) || (pattern[at + length] === '-' && pattern[at + length + 1] !== undefined && pattern[at + length + 1] !== ']'));
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (!inClass && c === '.' && !dotAll) {
      out += NOT_LINE_END;
      continue;
    }
    if (!inClass && c === '(') {
      FLAGS.lastIndex = i;
      const flags = FLAGS.exec(pattern);
      // RE2 sets, then clears: (?s-s) leaves s off.
      const next: boolean = flags?.[2]?.includes('s') ? false : flags?.[1]!.includes('s') ? true : dotAll;
      if (flags?.[3] === ')') {
        dotAll = next; // (?flags): to the end of the enclosing group
        out += flags[0];
        i += flags[0].length - 1;
        continue;
      }
      outerDotAll.push(dotAll);
      dotAll = next;
    }
    if (!inClass && c === ')') dotAll = outerDotAll.pop() ?? dotAll;
    if (!inClass && c === '[') {
      // As RE2 reads it: a "]" right after "[" or "[^" is a member, not the end.
      const open = pattern.startsWith('[^', i) ? 2 : 1;
      classOut = out.length;
      out += pattern.slice(i, i + open);
      i += open - 1;
      if (pattern[i + 1] === ']') {
        out += ']';
        i++;
      }
      classFirst = i + 1;
      classWritten.clear();
      inClass = true;
      continue;
    }
    if (inClass && c === ']') {
      inClass = false;
      // A class takes one character whatever it holds: the skeleton's is one stand-in.
      if (options.skeleton) out = `${out.slice(0, classOut)}[${STAND_IN}`;
    }
    if (inClass && c === '[' && pattern[i + 1] === ':') {
      const end = pattern.indexOf(':]', i + 2); // a POSIX class, [:alpha:]
      if (end > 0) {
        out += pattern.slice(i, end + 2);
        i = end + 1;
        continue;
      }
    }
    if (c !== '\\' || i + 1 >= pattern.length) {
      out += c;
      continue;
    }
    const e = pattern[i + 1]!;
    const rest = pattern.slice(i + 2);
    let m: RegExpExecArray | null;
    if (e === 'Q') {
      const end = pattern.indexOf('\\E', i + 2);
      if (end < 0) return `${out}${pattern.slice(i)}\\E`;
      out += pattern.slice(i, end + 2);
      i = end + 1;
    } else if (e === 'u' && (m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(rest))) {
      out += `\\x{${m[1]}}`;
      i += 1 + m[0].length;
    } else if (e === 'u' && (m = /^[0-9A-Fa-f]{4}/.exec(rest))) {
      let cp = parseInt(m[0], 16);
      i += 5;
      const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(pattern.slice(i + 1));
      if (cp >= 0xd800 && cp <= 0xdbff && low) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(low[1]!, 16) - 0xdc00);
        i += 6;
      }
      out += hex(cp);
    } else if (e === 'c' && /^[A-Za-z]/.test(rest)) {
      out += hex(rest.charCodeAt(0) % 32);
      i += 2;
    } else if ((e === 'p' || e === 'P') && (m = /^\{([A-Za-z_]+)(?:=([A-Za-z_]+))?\}/.exec(rest)) && javascriptKnows(m[0]) && !inRange(i, 2 + m[0].length)) {
      const name = options.skeleton ? undefined : re2PropertyName(m[1]!, m[2]);
      if (!options.skeleton) options.using?.(name === undefined ? 'javascript' : 're2');
      const braced = m[0];
      const members = () => classText(e === 'p' ? javascriptProperty(braced) : complement(javascriptProperty(braced)));
      if (name !== undefined) out += `\\${e}{${name}}`;
      else writeClassEscape(e + braced, () => `[${members()}]`, members);
      i += 1 + braced.length;
    } else if ((e === 's' || e === 'S') && !inRange(i, 2)) {
      // Outside a class, \S is written negated: RE2 case-folds a class's members one by one, and
      // the spaces are few (and have no other case).
      writeClassEscape(e, () => `[${e === 's' ? '' : '^'}${classText(SPACE)}]`, () => classText(e === 's' ? SPACE : complement(SPACE)));
      i++;
    } else if (e === 'b' && inClass) {
      out += '\\x{8}';
      i++;
    } else if ((e === 'p' || e === 'P') && options.skeleton && !inClass) {
      out += `[${STAND_IN}]`; // RE2's spelling (\pL, \p{Greek}): the real pattern compiled, so it is one
      i += 1 + (rest.startsWith('{') ? rest.indexOf('}') + 1 : 1);
    } else {
      // RE2's spelling (\pL, \p{Greek}), or refused; or a class escape as the end of a range (RE2 refuses it).
      if ((e === 'p' || e === 'P') && !options.skeleton) options.using?.('re2');
      out += c + e; // the escaped character is never read as the start of another escape
      i++;
    }
  }
  return out;
}
