/**
 * Team patterns are RE2 patterns, but teams write them as JavaScript taught them (and patterns
 * saved before Haven used RE2 were JavaScript's): these spellings are rewritten to what RE2 reads
 * with the same meaning. Everything else is left for RE2 to accept or refuse.
 */

/** JavaScript's `\s`: ASCII whitespace, the Unicode spaces, line and paragraph separators, BOM. RE2's `\s` is ASCII only. */
const NOT_LINE_END = '[^\\n\\r\\x{2028}\\x{2029}]';
const SPACE = '\\t-\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';

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

/** RE2's name for a JavaScript `\p{name}` or `\p{name=value}`. */
function propertyName(name: string, value: string | undefined): string {
  const category = (n: string) => (Object.hasOwn(CATEGORY, n) ? CATEGORY[n]! : n);
  if (value === undefined) return category(name);
  if (name === 'General_Category' || name === 'gc') return category(value);
  if (name === 'Script' || name === 'sc') return value;
  return `${name}=${value}`; // refused by RE2, which says so
}

/**
 * `pattern` with JavaScript's spellings rewritten for RE2:
 * - `\uXXXX` (a surrogate pair of them as one character), `\u{…}` and `\cX` as `\x{…}`;
 * - `\p{Letter}`, `\p{gc=Lu}`, `\p{Script=Greek}` as `\p{L}`, `\p{Lu}`, `\p{Greek}`; `\p{ASCII}`;
 * - `\s` and `\S` as JavaScript's whitespace (`\S` inside a class stays RE2's);
 * - `.` as any character but a line end (`\n`, `\r`, U+2028, U+2029), unless the pattern sets `(?s)`;
 * - `[\b]` (backspace).
 * `[^]` is RE2's start of a negated class whose first member is `]`, not JavaScript's "any character".
 * RE2's own quoting (`\Q…\E`) is left alone, and closed if the pattern ends inside it.
 */
export function fromJavaScriptSpellings(pattern: string): string {
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
      const name = propertyName(m[1]!, m[2]);
      if (name === 'ASCII') out += inClass ? (e === 'p' ? '\\x{0}-\\x{7F}' : '\\x{80}-\\x{10FFFF}') : `[${e === 'p' ? '' : '^'}\\x{0}-\\x{7F}]`;
      else out += `\\${e}{${name}}`;
      i += 1 + m[0].length;
    } else if (e === 's') {
      out += inClass ? SPACE : `[${SPACE}]`;
      i++;
    } else if (e === 'S' && !inClass) {
      out += `[^${SPACE}]`;
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
