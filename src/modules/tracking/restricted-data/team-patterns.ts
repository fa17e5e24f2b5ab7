/**
 * Team regex detectors run on RE2 (re2js, a pure-JavaScript port of Google's engine). RE2 matches
 * in time linear in the text whatever the pattern — it never backtracks — so a team's pattern
 * cannot stall ingest the way `(a+)+$` stalls V8's own engine, and teams can write patterns as
 * they find them (`\d+`, `[\w.+-]+@[\w-]+\.[a-z]{2,}`). The syntax is RE2's (that of Go's
 * `regexp`): no backreferences and no lookaround. JavaScript's spellings are read with their
 * JavaScript meaning (javascript-spellings.ts), so patterns saved before Haven used RE2 keep working.
 *
 * The matcher's work per character grows with the size of its program (RE2's count of
 * instructions: about one per character test, branch or repetition copy), so a team's patterns
 * are bounded by length and, together, by program size.
 */
import { RE2JS, RE2JSException, RE2Set } from 're2js';
import { foldMap, rememberedFold } from './code-point-fold.js';
import { fromJavaScriptSpellings } from './javascript-spellings.js';

export const MAX_PATTERN_LENGTH = 500;
/** RE2 program size of all of a team's patterns together. */
export const MAX_PROGRAM_SIZE = 500;

/**
 * Uses of Unicode properties (`\p{…}`, `\P{…}`) in all of a team's patterns together, and of
 * them, uses of properties RE2 does not have. RE2 builds each property's class as it compiles a
 * pattern (~1–3 ms for a large one such as `\P{L}`, and a pattern is compiled twice: alone and
 * in the team's set); one RE2 does not have is written into the pattern as up to ~1,400 ranges,
 * read off JavaScript's tables the first time (~20–90 ms). Their numbers bound what compiling a
 * team's patterns can cost.
 */
export const MAX_PROPERTY_USES = 40;
export const MAX_JAVASCRIPT_PROPERTY_USES = 10;

/** Property uses counted so far in a team's patterns. */
export interface PropertyUses {
  all: number;
  javascript: number;
}

export class UnusablePattern extends Error {}

export interface TeamPattern {
  /** The pattern as RE2 reads it (JavaScript spellings rewritten, `(?i)` for ignore-case). */
  readonly source: string;
  readonly re: RE2JS;
  readonly programSize: number;
  /** What RE2 took to compile it (milliseconds): wide ranges under ignore-case are slow to build. */
  readonly compileMs: number;
}

/**
 * Compile one team pattern; throws UnusablePattern with a reason people can act on.
 * `uses`: the property uses of the team's patterns compiled before this one (added to).
 */
export function compileTeamPattern(pattern: string, ignoreCase: boolean, uses: PropertyUses = { all: 0, javascript: 0 }): TeamPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new UnusablePattern(`A pattern is at most ${MAX_PATTERN_LENGTH} characters.`);
  const flags = ignoreCase ? '(?i)' : '';
  const using = (from: 're2' | 'javascript') => {
    if (++uses.all > MAX_PROPERTY_USES) throw new UnusablePattern(`A team's patterns together use Unicode properties (\\p{…}, \\P{…}) at most ${MAX_PROPERTY_USES} times.`);
    if (from === 'javascript' && ++uses.javascript > MAX_JAVASCRIPT_PROPERTY_USES) {
      throw new UnusablePattern(
        `A team's patterns together use Unicode properties that RE2 does not have (such as \\p{Script_Extensions=…}, \\p{ID_Start} or \\p{ASCII}) at most ${MAX_JAVASCRIPT_PROPERTY_USES} times.`,
      );
    }
  };
  const source = flags + fromJavaScriptSpellings(pattern, { using });
  let re: RE2JS;
  const started = performance.now();
  try {
    re = RE2JS.compile(source);
  } catch (e) {
    if (!(e instanceof RE2JSException)) throw e;
    const why = e.message.replace(/^error parsing regexp: /, '');
    const hint = /escape sequence: `\\[pPsSdDwW]/.test(why)
      ? ' (a class such as \\s or \\p{…} is no end of a range)'
      : /escape sequence|Perl syntax|named capture/.test(why)
        ? ' (patterns use RE2 syntax: no backreferences or lookaround)'
        : '';
    throw new UnusablePattern(`${why.charAt(0).toUpperCase()}${why.slice(1)}${hint}.`);
  }
  const programSize = re.programSize();
  if (programSize > MAX_PROGRAM_SIZE) throw new UnusablePattern(`The pattern is too large to run on every event (RE2 program size ${programSize}, at most ${MAX_PROGRAM_SIZE}).`);
  // On the pattern's skeleton: which characters its classes hold cannot make it match empty text.
  if (matchesEmptyText(flags + fromJavaScriptSpellings(pattern, { skeleton: true }))) throw new UnusablePattern('The pattern can match empty text; it must match at least one character.');
  return { source, re, programSize, compileMs: performance.now() - started };
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
    this.set = new RE2Set(RE2Set.UNANCHORED, 0, 256 * 1024);
    for (const p of patterns) this.set.add(p.source);
    this.set.compile();
  }

  /**
   * Indexes (into the patterns) of those that match `s` or its compatibility view (full-width
   * `１２３` read as `123`); when `spans` is given, the [start, end) of each of their matches in `s`
   * (UTF-16 indexes) is appended to it. Which patterns match is answered by the set alone (a lazy
   * DFA, one pass); spans need each pattern's own matcher.
   */
  matching(s: string, spans: number[] | undefined): number[] {
    const found = this.set.match(s);
    if (spans && found.length > 0) this.spansIn(found, s, spans);
    const view = compatibilityView(s);
    if (!view) return found;
    const inView = this.set.match(view.text);
    if (spans && inView.length > 0) {
      const viewSpans: number[] = [];
      this.spansIn(inView, view.text, viewSpans);
      for (let i = 0; i < viewSpans.length; i += 2) spans.push(view.from[viewSpans[i]!]!, view.to[viewSpans[i + 1]! - 1]!);
    }
    return found.concat(inView.filter((k) => !found.includes(k)));
  }

  /**
   * The spans of the matches of `patterns` in `s`. One search may read to the end of the text
   * before it settles on a short match (`x*y|x` in "xxx…"), so finding every match can take time
   * quadratic in the text. The searches in one text therefore share a budget (SPAN_SEARCH_BUDGET,
   * each search charged as if it read to the end); a text that would take more becomes one span,
   * whole. Texts of ordinary length with a few matches never come near it: a US SSN pattern can
   * be searched for ~16 times in 32 KiB, ~500 times in 1 KiB.
   */
  private spansIn(patterns: readonly number[], s: string, spans: number[]): void {
    let budget = SPAN_SEARCH_BUDGET;
    const mark = spans.length;
    for (const k of patterns) {
      const { re, programSize } = this.patterns[k]!;
      const m = re.matcher(s);
      for (let at = 0; at < s.length; at = Math.max(m.end(), m.start() + 1)) {
        budget -= (s.length - at) * (programSize + SEARCH_OVERHEAD);
        if (budget < 0) {
          spans.length = mark;
          spans.push(0, s.length);
          return;
        }
        if (!m.find(at)) break;
        if (m.end() > m.start()) spans.push(m.start(), m.end());
      }
    }
  }
}

/**
 * What the span searches in one text may take, in characters × (program size + SEARCH_OVERHEAD):
 * ~0.1–0.2 s for patterns the DFA runs; one at the size limit that defeats it (`a.{480}#`) took
 * ~0.6 s on 32 KiB, ~1.2 s with the compatibility view (decision 0009's worst case). A search's
 * work per character grows with the program, on top of a fixed part worth about 16 instructions
 * (measured: `x*y|x`, program size 6, reads 32 KiB in ~2 ms).
 */
export const SPAN_SEARCH_BUDGET = 1 << 24;
const SEARCH_OVERHEAD = 16;

const ASCII = /^[\x00-\x7f]*$/;
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
const compatible = rememberedFold((cp) => {
  const f = String.fromCodePoint(cp).normalize('NFKC').replace(INVISIBLE, '');
  return f.length > (cp > 0xffff ? 2 : 1) ? String.fromCodePoint(cp) : f;
});

/**
 * `s` as a reader sees it — a character whose compatibility form (NFKC) is one character read as
 * that (full-width `１`, mathematical `𝟏` and circled `①` read `1`), characters that show nothing
 * (zero-width space, soft hyphen, joiners) left out — with a map back: text[i] comes from
 * s[from[i] .. to[i]). Never longer than `s` (forms of several characters, such as `ﬁ` or the
 * 18-letter U+FDFA, are kept as they are), so the view at most doubles the patterns' work.
 * Undefined when it is `s` itself, as for all ASCII text.
 */
function compatibilityView(s: string): { text: string; from: number[]; to: number[] } | undefined {
  if (ASCII.test(s)) return undefined;
  let text = '';
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    text += cp < 128 ? s[i]! : compatible(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return text === s ? undefined : { text, ...foldMap(s, compatible) };
}
