import { HavenError } from '../../../platform/http/errors.js';
import { keywordMatcher, normaliseTerm, type KeywordMatcher } from './keywords.js';
import { compileTeamPattern, MAX_JAVASCRIPT_PROPERTY_USES, MAX_PROPERTY_USES, MAX_PATTERN_LENGTH, MAX_PROGRAM_SIZE, TeamPatterns, type TeamPattern, UnusablePattern } from './team-patterns.js';

/** A team-configured detector, as stored in team settings. */
export type DetectorDefinition =
  | { id: string; label: string; kind: 'keywords'; terms: string[] }
  | { id: string; label: string; kind: 'regex'; pattern: string; flags?: 'i' | '' };

export const DETECTOR_LIMITS = {
  maxDetectors: 50,
  maxTermsPerDetector: 500,
  /** All keyword detectors of a team together: bounds the alternation V8 tries at each position. */
  maxTerms: 2000,
  maxTermLength: 100,
  maxLabelLength: 100,
  maxPatternLength: MAX_PATTERN_LENGTH,
  /** RE2 program size of all of a team's patterns together. */
  maxProgramSize: MAX_PROGRAM_SIZE,
  /** Uses of Unicode properties in all of a team's patterns, and of those RE2 does not have (read off JavaScript's tables). */
  maxPropertyUses: MAX_PROPERTY_USES,
  maxJavascriptPropertyUses: MAX_JAVASCRIPT_PROPERTY_USES,
  /** What RE2 may take to compile a team's patterns, all together, when they are saved. */
  saveCompileBudgetMs: 500,
} as const;

/** What text restricted data is replaced by; no detector may match it. */
export const REDACTED = '[redacted]';

const ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** Detectors ready to run. Opaque outside this folder; build with `compileDetectors`. */
export class CompiledDetectors {
  /** @internal */
  constructor(
    /** Detector ids, by index. */
    readonly ids: readonly string[],
    /** @internal */ readonly keywords: KeywordMatcher | undefined,
    /** @internal The team's patterns, in the order of `patternDetectors`. */ readonly patterns: TeamPatterns | undefined,
    /** @internal Detector index of each pattern. */ readonly patternDetectors: readonly number[],
  ) {}
}

const invalid = (message: string, field: string) => new HavenError('invalid_detector', 400, message, field);

/**
 * Validate and compile team detectors. Throws HavenError `invalid_detector` (400) whose `field`
 * names the detector and the property at fault, e.g. `detectors.national_id.pattern` (or
 * `detectors.3.id` while the id itself is unusable).
 *
 * `compileBudgetMs` (given when settings are saved): refuse patterns that take RE2 longer than
 * this to compile, all together (the team's set then compiles them once more, in about as long).
 * Compiling runs on the event loop, and RE2 builds a case-folded class one code point at a time:
 * a pattern of wide ranges under ignore-case can take ~0.5 s. Saved settings are not held to it
 * when read again (machines differ; a slow moment must not stop a team's ingest).
 */
export function compileDetectors(defs: readonly DetectorDefinition[], options: { compileBudgetMs?: number } = {}): CompiledDetectors {
  if (!Array.isArray(defs)) throw invalid('Detectors must be a list.', 'detectors');
  if (defs.length > DETECTOR_LIMITS.maxDetectors) throw invalid(`A team has at most ${DETECTOR_LIMITS.maxDetectors} detectors.`, 'detectors');
  const ids: string[] = [];
  const terms = new Map<number, string[]>();
  const patterns: TeamPattern[] = [];
  const patternDetectors: number[] = [];
  let programSize = 0;
  let totalTerms = 0;
  const propertyUses = { all: 0, javascript: 0 };
  let compileMs = 0;
  defs.forEach((def: unknown, index) => {
    const d = (typeof def === 'object' && def !== null ? def : {}) as Record<string, unknown>;
    const id = d['id'];
    if (typeof id !== 'string' || !ID.test(id)) {
      throw invalid('A detector id is 1–40 characters: lower-case letters, digits, "-" and "_", starting with a letter or digit.', `detectors.${index}.id`);
    }
    if (ids.includes(id)) throw invalid(`Two detectors share the id "${id}".`, `detectors.${id}.id`);
    ids.push(id);
    const at = (prop: string) => `detectors.${id}.${prop}`;
    const label = d['label'];
    if (typeof label !== 'string' || label.trim() === '' || label.length > DETECTOR_LIMITS.maxLabelLength) {
      throw invalid(`Detector "${id}" needs a label of 1–${DETECTOR_LIMITS.maxLabelLength} characters.`, at('label'));
    }
    if (d['kind'] === 'keywords') {
      const list = d['terms'];
      if (!Array.isArray(list) || list.length === 0 || list.length > DETECTOR_LIMITS.maxTermsPerDetector) {
        throw invalid(`Detector "${id}" needs a list of 1–${DETECTOR_LIMITS.maxTermsPerDetector} terms.`, at('terms'));
      }
      const normalised = list.map((t: unknown, k) => {
        if (typeof t !== 'string' || t.length > DETECTOR_LIMITS.maxTermLength) {
          throw invalid(`Term ${k + 1} of detector "${id}" must be text of at most ${DETECTOR_LIMITS.maxTermLength} characters.`, at(`terms.${k}`));
        }
        const n = normaliseTerm(t);
        if (!/[\p{L}\p{N}]/u.test(n)) throw invalid(`Term ${k + 1} of detector "${id}" has no letter or digit.`, at(`terms.${k}`));
        return n;
      });
      terms.set(index, normalised);
      totalTerms += normalised.length;
      if (totalTerms > DETECTOR_LIMITS.maxTerms) throw invalid(`A team's keyword detectors hold at most ${DETECTOR_LIMITS.maxTerms} terms together.`, at('terms'));
    } else if (d['kind'] === 'regex') {
      const pattern = d['pattern'];
      const flags = d['flags'] ?? '';
      if (typeof pattern !== 'string' || pattern === '') throw invalid(`Detector "${id}" needs a pattern.`, at('pattern'));
      if (flags !== '' && flags !== 'i') throw invalid(`The flags of detector "${id}" are "i" (ignore case) or none.`, at('flags'));
      let compiled: TeamPattern;
      try {
        compiled = compileTeamPattern(pattern, flags === 'i', propertyUses);
      } catch (e) {
        if (e instanceof UnusablePattern) throw invalid(`The pattern of detector "${id}" is not accepted: ${e.message}`, at('pattern'));
        throw e;
      }
      compileMs += compiled.compileMs;
      if (options.compileBudgetMs !== undefined && compileMs > options.compileBudgetMs) {
        throw invalid(
          `Together, the patterns up to detector "${id}" take too long to compile (${Math.round(compileMs)} ms, at most ${options.compileBudgetMs}); wide character ranges with ignore-case are the usual cause.`,
          at('pattern'),
        );
      }
      programSize += compiled.programSize;
      if (programSize > MAX_PROGRAM_SIZE) {
        throw invalid(
          `Together, the patterns up to detector "${id}" are too large to run on every event (RE2 program size ${programSize}, at most ${MAX_PROGRAM_SIZE}); simplify some of them.`,
          at('pattern'),
        );
      }
      // The marker must scan clean, or redacted text would be redacted forever.
      if (compiled.re.test(REDACTED)) throw invalid(`The pattern of detector "${id}" matches the redaction marker "${REDACTED}".`, at('pattern'));
      patterns.push(compiled);
      patternDetectors.push(index);
    } else {
      throw invalid(`The kind of detector "${id}" is "keywords" or "regex".`, at('kind'));
    }
  });
  const compiled = new CompiledDetectors(ids, keywordMatcher(terms), patterns.length > 0 ? new TeamPatterns(patterns) : undefined, patternDetectors);
  // Redacted output must scan clean, so no detector may match the marker itself.
  for (const [index, list] of terms) {
    const k = list.findIndex((t) => t === normaliseTerm('redacted'));
    if (k >= 0) throw invalid(`Term ${k + 1} of detector "${ids[index]}" is the redaction marker.`, `detectors.${ids[index]}.terms.${k}`);
  }
  return compiled;
}
