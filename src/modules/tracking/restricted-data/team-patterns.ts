/**
 * Team regex detectors run on RE2 (re2js, a pure-JavaScript port of Google's engine). RE2 matches
 * in time linear in the text whatever the pattern — it never backtracks — so a team's pattern
 * cannot stall ingest the way `(a+)+$` stalls V8's own engine, and teams can write patterns as
 * they find them (`\d+`, `[\w.+-]+@[\w-]+\.[a-z]{2,}`). The syntax is RE2's (that of Go's
 * `regexp`): no backreferences and no lookaround. A few JavaScript spellings are read as their RE2
 * equivalents (`\u00e9`, `\u{1F600}`, `\p{Letter}`, `\p{Script=Greek}`), so patterns saved
 * before Haven used RE2 keep working.
 *
 * The matcher's work per character grows with the size of its program (RE2's count of
 * instructions: about one per character test, branch or repetition copy), so a team's patterns
 * are bounded by length and, together, by program size.
 */
import { RE2JS, RE2JSException, RE2Set } from 're2js';

export const MAX_PATTERN_LENGTH = 500;
/** RE2 program size of all of a team's patterns together. */
export const MAX_PROGRAM_SIZE = 500;

export class UnusablePattern extends Error {}

export interface TeamPattern {
  /** The pattern as RE2 reads it (JavaScript spellings rewritten, `(?i)` for ignore-case). */
  readonly source: string;
  readonly re: RE2JS;
  readonly programSize: number;
}

/** Compile one team pattern; throws UnusablePattern with a reason people can act on. */
export function compileTeamPattern(pattern: string, ignoreCase: boolean): TeamPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new UnusablePattern(`A pattern is at most ${MAX_PATTERN_LENGTH} characters.`);
  const source = (ignoreCase ? '(?i)' : '') + fromJavaScriptSpellings(pattern);
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (e) {
    if (!(e instanceof RE2JSException)) throw e;
    const why = e.message.replace(/^error parsing regexp: /, '');
    const hint = /escape sequence|Perl syntax|named capture/.test(why) ? ' (patterns use RE2 syntax: no backreferences or lookaround)' : '';
    throw new UnusablePattern(`${why.charAt(0).toUpperCase()}${why.slice(1)}${hint}.`);
  }
  if (matchesEmptyText(source)) throw new UnusablePattern('The pattern can match empty text; it must match at least one character.');
  return { source, re, programSize: re.programSize() };
}

/**
 * Whether `source` can match empty text anywhere. A match of no characters sees only the kinds of
 * character on either side of it — none (start or end), a word character, a line break, another —
 * through the assertions (`^`, `$`, `\b`, `\B`, `\A`, `\z`). So the pattern, placed between each
 * pair of such neighbours and anchored at both ends, must not match that pair: the test is exact.
 */
function matchesEmptyText(source: string): boolean {
  const sides = ['', 'a', '\n', ' '];
  const literal = (c: string) => (c === '\n' ? '\\n' : c);
  for (const before of sides) {
    for (const after of sides) {
      if (RE2JS.compile(`\\A${literal(before)}(?:${source})${literal(after)}\\z`).testExact(before + after)) return true;
    }
  }
  return false;
}

/** A team's patterns, compiled for one pass over each text. */
export class TeamPatterns {
  private readonly set: RE2Set;

  constructor(private readonly patterns: readonly TeamPattern[]) {
    // One automaton for all patterns answers which of them occur in a text in one pass; its
    // memory is bounded (the lazy DFA starts over when full, still in linear time).
    this.set = new RE2Set(RE2Set.UNANCHORED, 0, 1 << 20);
    for (const p of patterns) this.set.add(p.source);
    this.set.compile();
  }

  get size(): number {
    return this.patterns.length;
  }

  /**
   * Indexes (into the patterns) of those that match `s` or its compatibility view (full-width
   * `１２３` read as `123`); when `spans` is given, the [start, end) of each of their matches in `s`
   * (UTF-16 indexes) is appended to it. Which patterns match is answered by the set alone (a lazy
   * DFA); spans need each pattern's own matcher, which is slower.
   */
  matching(s: string, spans: number[] | undefined): number[] {
    const found = this.set.match(s);
    if (spans) for (const k of found) this.spansIn(k, s, spans);
    const view = compatibilityView(s);
    if (!view) return found;
    for (const k of this.set.match(view.text)) {
      if (!found.includes(k)) found.push(k);
      if (!spans) continue;
      const viewSpans: number[] = [];
      this.spansIn(k, view.text, viewSpans);
      for (let i = 0; i < viewSpans.length; i += 2) spans.push(view.from[viewSpans[i]!]!, view.to[viewSpans[i + 1]! - 1]!);
    }
    return found;
  }

  private spansIn(k: number, s: string, spans: number[]): void {
    const m = this.patterns[k]!.re.matcher(s);
    while (m.find()) spans.push(m.start(), m.end());
  }
}

const ASCII = /^[\x00-\x7f]*$/;
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
const COMPATIBLE = new Map<number, string>();

/**
 * `s` as a reader sees it — each character in its compatibility form (NFKC: full-width `１`, `𝟏`
 * and `①` read `1`, `ﬁ` reads `fi`), characters that show nothing (zero-width space, soft
 * hyphen, joiners) left out — with a map back: text[i] comes from s[from[i] .. to[i]). Undefined
 * when that is `s` itself, as for all ASCII text.
 */
function compatibilityView(s: string): { text: string; from: number[]; to: number[] } | undefined {
  if (ASCII.test(s)) return undefined;
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    let f = cp < 128 ? s[i]! : COMPATIBLE.get(cp);
    if (f === undefined) {
      f = String.fromCodePoint(cp).normalize('NFKC').replace(INVISIBLE, '');
      if (COMPATIBLE.size < 65_536) COMPATIBLE.set(cp, f);
    }
    for (let k = 0; k < f.length; k++) {
      from.push(i);
      to.push(i + w);
    }
    text += f;
    i += w;
  }
  return text === s ? undefined : { text, from, to };
}

/**
 * General categories by their long names, as JavaScript's `\p{…}` accepts them; RE2 knows the
 * short ones.
 */
const CATEGORY: Record<string, string> = {
  Letter: 'L', Uppercase_Letter: 'Lu', Lowercase_Letter: 'Ll', Titlecase_Letter: 'Lt', Modifier_Letter: 'Lm', Other_Letter: 'Lo',
  Mark: 'M', Combining_Mark: 'M', Nonspacing_Mark: 'Mn', Spacing_Mark: 'Mc', Enclosing_Mark: 'Me',
  Number: 'N', Decimal_Number: 'Nd', digit: 'Nd', Letter_Number: 'Nl', Other_Number: 'No',
  Punctuation: 'P', punct: 'P', Connector_Punctuation: 'Pc', Dash_Punctuation: 'Pd', Open_Punctuation: 'Ps', Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi', Final_Punctuation: 'Pf', Other_Punctuation: 'Po',
  Symbol: 'S', Math_Symbol: 'Sm', Currency_Symbol: 'Sc', Modifier_Symbol: 'Sk', Other_Symbol: 'So',
  Separator: 'Z', Space_Separator: 'Zs', Line_Separator: 'Zl', Paragraph_Separator: 'Zp',
  Other: 'C', Control: 'Cc', Format: 'Cf', Surrogate: 'Cs', Private_Use: 'Co',
};

const hex = (cp: number) => `\\x{${cp.toString(16).toUpperCase()}}`;

/**
 * `pattern` with JavaScript's spellings of escapes RE2 writes otherwise: `\uXXXX` (a surrogate
 * pair of them as one character), `\u{…}` and `\cX` as `\x{…}`, long or `name=value` property
 * names as RE2's. Everything else is left for RE2 to accept or refuse.
 */
export function fromJavaScriptSpellings(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '\\' || i + 1 >= pattern.length) {
      out += c;
      continue;
    }
    const e = pattern[i + 1]!;
    const rest = pattern.slice(i + 2);
    let m: RegExpExecArray | null;
    if (e === 'u' && (m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(rest))) {
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
      const [, name, value] = m;
      const property = value === undefined ? (CATEGORY[name!] ?? name!) : /^(General_Category|gc)$/.test(name!) ? (CATEGORY[value] ?? value) : /^(Script|sc)$/.test(name!) ? value : `${name}=${value}`;
      out += `\\${e}{${property}}`;
      i += 1 + m[0].length;
    } else {
      out += c + e; // the escaped character is never read as the start of another escape
      i++;
    }
  }
  return out;
}
