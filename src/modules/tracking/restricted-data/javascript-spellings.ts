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

/** RE2's name for a JavaScript `\p{name}` or `\p{name=value}`, when RE2 has the property. */
function re2PropertyName(name: string, value: string | undefined): string | undefined {
  const category = (n: string) => (Object.hasOwn(CATEGORY, n) ? CATEGORY[n]! : n);
  const candidate = value === undefined ? category(name) : name === 'General_Category' || name === 'gc' ? category(value) : name === 'Script' || name === 'sc' ? value : undefined;
  if (candidate === undefined) return undefined;
  try {
    RE2JS.compile(`\\p{${candidate}}`);
    return candidate;
  } catch {
    return undefined;
  }
}

/**
 * Every code point, in four runs of consecutive ones: below the surrogates, the high and the low
 * surrogates (each alone, as a text may hold them), and above: 4 MB, built only to read a
 * property's members (javascriptProperty).
 */
function everyCodePoint(): string[] {
  const above = new Uint16Array(0x10000 - 0xe000 + 2 * 0x100000);
  let k = 0;
  for (let c = 0xe000; c < 0x10000; c++) above[k++] = c;
  for (let cp = 0x10000; cp <= 0x10ffff; cp++) {
    above[k++] = 0xd800 + ((cp - 0x10000) >> 10);
    above[k++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
  }
  const run = (from: number, to: number) => String.fromCharCode(...Array.from({ length: to - from + 1 }, (_, i) => from + i));
  const below = Array.from({ length: 0xd800 / 0x800 }, (_, i) => run(i * 0x800, i * 0x800 + 0x7ff)).join('');
  return [below, run(0xd800, 0xdbff), run(0xdc00, 0xdfff), new TextDecoder('utf-16le').decode(above)];
}

/** Properties read from JavaScript's tables, the most recently used last. */
const properties = new Map<string, Ranges>();
const REMEMBERED_PROPERTIES = 64;

/**
 * The members of a property RE2 does not have (`{Script_Extensions=Greek}`, `{ID_Start}`, `{sc=Grek}`),
 * read off JavaScript's own engine, so the property keeps its JavaScript meaning; undefined when
 * JavaScript does not know it either (or it holds no code point, or every one). Reading one
 * takes ~10–60 ms (one pass of V8's matcher over every code point); the last 64 are remembered.
 * `reading` is told first, and may refuse by throwing.
 */
function javascriptProperty(braced: string, reading: ((property: string) => void) | undefined): Ranges | undefined {
  let members: RegExp;
  try {
    members = new RegExp(`\\p${braced}+`, 'gu');
  } catch {
    return undefined;
  }
  reading?.(braced);
  let ranges = properties.get(braced);
  if (ranges) properties.delete(braced);
  else {
    const found: [number, number][] = [];
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
  return ranges.length > 0 && complement(ranges).length > 0 ? ranges : undefined;
}

/**
 * `pattern` with JavaScript's spellings rewritten for RE2:
 * - `\uXXXX` (a surrogate pair of them as one character), `\u{…}` and `\cX` as `\x{…}`;
 * - `\p{Letter}`, `\p{gc=Lu}`, `\p{Script=Greek}` as `\p{L}`, `\p{Lu}`, `\p{Greek}`; properties
 *   RE2 does not have (`\p{ASCII}`, `\p{Script_Extensions=Greek}`, `\p{sc=Grek}`, `\p{ID_Start}`)
 *   as their members, read off JavaScript's tables (javascriptProperty; `reading` is told of each);
 * - `\s` and `\S` as JavaScript's whitespace;
 * - `.` as any character but a line end (`\n`, `\r`, U+2028, U+2029), unless the pattern sets `(?s)`;
 * - `[\b]` (backspace).
 * `[^]` is RE2's start of a negated class whose first member is `]`, not JavaScript's "any character".
 * RE2's own quoting (`\Q…\E`) is left alone, and closed if the pattern ends inside it.
 */
export function fromJavaScriptSpellings(pattern: string, reading?: (property: string) => void): string {
  let out = '';
  let inClass = false;
  // RE2's `.` also matches \r, U+2028 and U+2029, JavaScript's does not; with (?s) both match all.
  const dotAll = /\(\?[a-zA-Z]*s/.test(pattern);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (!inClass && c === '.' && !dotAll) {
      out += NOT_LINE_END;
      continue;
    }
    if (!inClass && c === '[') {
      // As RE2 reads it: a "]" right after "[" or "[^" is a member, not the end.
      const open = pattern.startsWith('[^', i) ? 2 : 1;
      out += pattern.slice(i, i + open);
      i += open - 1;
      if (pattern[i + 1] === ']') {
        out += ']';
        i++;
      }
      inClass = true;
      continue;
    }
    if (inClass && c === ']') inClass = false;
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
    } else if ((e === 'p' || e === 'P') && (m = /^\{([A-Za-z_]+)(?:=([A-Za-z_]+))?\}/.exec(rest))) {
      const name = re2PropertyName(m[1]!, m[2]);
      const members = name === undefined ? javascriptProperty(m[0], reading) : undefined;
      if (members) {
        const ranges = classText(e === 'p' ? members : complement(members));
        out += inClass ? ranges : `[${ranges}]`;
      } else out += `\\${e}{${name ?? m[0].slice(1, -1)}}`; // RE2's own; or unknown to both, and RE2 says so
      i += 1 + m[0].length;
    } else if (e === 's' || e === 'S') {
      const ranges = classText(e === 's' ? SPACE : complement(SPACE));
      out += inClass ? ranges : `[${ranges}]`;
      i++;
    } else if (e === 'b' && inClass) {
      out += '\\x{8}';
      i++;
    } else {
      out += c + e; // the escaped character is never read as the start of another escape
      i++;
    }
  }
  return out;
}
