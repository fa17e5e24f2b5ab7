import { HavenError, echoableName } from '../../../platform/http/errors.js';
import { REDACTED, type CompiledDetectors } from './detectors.js';
import { type KeywordMatcher, matchKeywords } from './keywords.js';
import { findPaymentCards } from './payment-cards.js';
import { type DecodedView, MAX_DECODE_ROUNDS, hasPercentEscape, mayBeUrlEncoded, urlDecodeOnce } from './url-decoded.js';

export type FindingReason = 'payment_card' | `detector:${string}`;

/** Restricted data found at `field` (a dotted path). Never carries the matched text. */
export interface Finding {
  field: string;
  reason: FindingReason;
}

/** Deeper values are refused rather than walked (events themselves are limited to 6 levels). */
export const MAX_SCAN_DEPTH = 64;
/** Rounds of re-redaction before a string is replaced whole (see `redactString`). */
const MAX_REDACT_ROUNDS = 3;

const NONE: readonly FindingReason[] = Object.freeze([]);

/** Add `reason` to `reasons` (created on first use) unless it is there already. */
function addReason(reasons: FindingReason[] | undefined, reason: FindingReason): FindingReason[] {
  if (!reasons) return [reason];
  if (!reasons.includes(reason)) reasons.push(reason);
  return reasons;
}

/**
 * The keyword detectors' reasons in `s`. A function of its own: variables a callback captures live
 * in a context object made at every call of the function that holds them, and inspectText runs
 * for every key and value of every event.
 */
function inspectKeywords(kw: KeywordMatcher, s: string, d: CompiledDetectors, ranges: number[] | undefined, reasons: FindingReason[] | undefined): FindingReason[] | undefined {
  let seen = 0; // keyword detectors seen, as bits of their index (a list past 30)
  let seenList: number[] | undefined;
  let count = 0;
  matchKeywords(kw, s, (start, end, index) => {
    ranges?.push(start, end);
    const bit = index < 31 ? 1 << index : 0;
    const dup = bit ? (seen & bit) !== 0 : (seenList ??= []).includes(index);
    if (!dup) {
      if (bit) seen |= bit;
      else seenList!.push(index);
      count++;
      reasons = addReason(reasons, `detector:${d.ids[index]!}`);
    }
    return ranges === undefined && count === kw.detectors; // scanning: every keyword detector seen
  });
  return reasons;
}

/**
 * The reasons found in `s` (one view of a field), added to `reasons`, and (when `ranges`) the
 * [start, end) spans to redact, as indexes into `s`. `patternsOnly`: run the team's patterns only
 * (a view that differs from the one before only by `+` read as spaces).
 */
function inspectText(s: string, d: CompiledDetectors, ranges: number[] | undefined, reasons: FindingReason[] | undefined, patternsOnly = false): FindingReason[] | undefined {
  if (patternsOnly && !d.patterns) return reasons;
  if (s.length >= 13 && !patternsOnly) {
    const cards = findPaymentCards(s, ranges === undefined);
    if (cards.length > 0) {
      reasons = addReason(reasons, 'payment_card');
      ranges?.push(...cards);
    }
  }
  if (!patternsOnly && d.keywords) reasons = inspectKeywords(d.keywords, s, d, ranges, reasons);
  if (d.patterns) for (const k of d.patterns.matching(s, ranges)) reasons = addReason(reasons, `detector:${d.ids[d.patternDetectors[k]!]!}`);
  return reasons;
}

/**
 * Every reason found in `s`, and (when `ranges`) the [start, end) spans of `s` to redact.
 * Allocates nothing for clean text without URL encoding.
 *
 * Text that holds percent escapes (or `+` in a query) is also inspected URL-decoded, up to
 * `MAX_DECODE_ROUNDS` times (`%2520` → `%20` → space). A match in a decoded view is redacted as
 * the original characters it decodes from: whole escape sequences (`q=d%C3%A9pression` →
 * `q=[redacted]`).
 */
function inspect(s: string, d: CompiledDetectors, ranges: number[] | undefined): readonly FindingReason[] {
  let reasons = inspectText(s, d, ranges, undefined);
  // Without team patterns, only percent escapes can show something new (see DecodedView.escapes).
  if (!d.patterns ? !hasPercentEscape(s) : !mayBeUrlEncoded(s)) return reasons ?? NONE;
  let view: DecodedView = { text: s, from: undefined, to: undefined, escapes: false };
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const next = urlDecodeOnce(view, ranges !== undefined);
    if (!next) break;
    const spans: number[] | undefined = ranges ? [] : undefined;
    reasons = inspectText(next.text, d, spans, reasons, !next.escapes);
    if (ranges && spans) for (let k = 0; k < spans.length; k += 2) ranges.push(next.from![spans[k]!]!, next.to![spans[k + 1]! - 1]!);
    view = next;
  }
  return reasons ?? NONE;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * `s` with the spans replaced by the marker (spans may overlap and come in any order). A span is
 * widened to whole code points first: every detector reads whole code points, but if one ever
 * stopped inside a surrogate pair, the other half must not be left behind alone.
 */
function replaceSpans(s: string, spans: number[]): string {
  const pairs: [number, number][] = [];
  for (let i = 0; i < spans.length; i += 2) {
    let a = spans[i]!;
    let b = spans[i + 1]!;
    if (a > 0 && isLowSurrogate(s.charCodeAt(a)) && isHighSurrogate(s.charCodeAt(a - 1))) a--;
    if (b < s.length && b > 0 && isHighSurrogate(s.charCodeAt(b - 1)) && isLowSurrogate(s.charCodeAt(b))) b++;
    pairs.push([a, b]);
  }
  pairs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (const [a, b] of pairs) {
    if (b <= at) continue;
    if (a > at) out += s.slice(at, a);
    if (a >= at) out += REDACTED;
    at = b;
  }
  return out + s.slice(at);
}

/**
 * Redact `s`; `reasons` receives what the original held. Text that a detector matches across a
 * marker's edge (a team pattern like `\]x`) is redacted again; after a few rounds the whole string
 * becomes the marker, which no detector matches (`compileDetectors` checks).
 */
function redactString(s: string, d: CompiledDetectors, reasons: FindingReason[]): string {
  const spans: number[] = [];
  const found = inspect(s, d, spans);
  if (found.length > 0) reasons.push(...found);
  if (spans.length === 0) return s;
  let out = replaceSpans(s, spans);
  for (let round = 0; round < MAX_REDACT_ROUNDS; round++) {
    const again: number[] = [];
    if (inspect(out, d, again).length === 0) return out;
    out = replaceSpans(out, again);
  }
  return inspect(out, d, undefined).length === 0 ? out : REDACTED;
}

/** A path built only when a finding needs it: most fields are clean. */
interface Path {
  readonly parent: Path | string;
  readonly segment: string;
}
/**
 * The dotted path, fit to echo in an error's `field`: each name the sender chose goes through
 * `echoableName` (an email, a phone number or a long name as a key reads `[redacted]`), as in every
 * other error (docs/errors.md). The root is the caller's own text.
 */
const pathText = (p: Path | string): string => {
  if (typeof p === 'string') return p;
  const parent = pathText(p.parent);
  const segment = echoableName(p.segment);
  return parent === '' ? segment : `${parent}.${segment}`;
};

interface Walk {
  readonly d: CompiledDetectors;
  readonly findings: Finding[];
  readonly seen: Set<string>;
  readonly copy: boolean;
}

function addFindings(w: Walk, path: Path | string, reasons: readonly FindingReason[]): void {
  const field = pathText(path);
  for (const reason of reasons) {
    const k = `${reason}\u0000${field}`;
    if (w.seen.has(k)) continue;
    w.seen.add(k);
    w.findings.push({ field, reason });
  }
}

/** Text form of a scalar worth scanning (numbers can hold a 16-digit PAN exactly), or undefined. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return String(value);
  return undefined;
}

const pathAt = (parent: Path | string, segment: string | number | undefined): Path | string =>
  segment === undefined ? parent : { parent, segment: String(segment) };

/**
 * `value` sits at `segment` under `parent` (or is the root, `parent` its path, when `segment` is
 * undefined). Its own Path object is built only when needed — a finding, or children to visit — so
 * a clean leaf costs no allocation.
 */
function visit(value: unknown, parent: Path | string, segment: string | number | undefined, depth: number, w: Walk): unknown {
  const text = scalarText(value);
  if (text !== undefined) {
    if (!w.copy) {
      const found = inspect(text, w.d, undefined);
      if (found.length > 0) addFindings(w, pathAt(parent, segment), found);
      return value;
    }
    const reasons: FindingReason[] = [];
    const out = redactString(text, w.d, reasons);
    if (reasons.length === 0) return value;
    addFindings(w, pathAt(parent, segment), reasons);
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  const path = pathAt(parent, segment);
  if (depth >= MAX_SCAN_DEPTH) throw new HavenError('too_deep', 400, `Values nest more than ${MAX_SCAN_DEPTH} levels.`, pathText(path));
  if (Array.isArray(value)) {
    const out: unknown[] | undefined = w.copy ? new Array<unknown>(value.length) : undefined;
    for (let i = 0; i < value.length; i++) {
      const v = visit(value[i], path, i, depth + 1, w);
      if (out) out[i] = v;
    }
    return out ?? value;
  }
  const out: Record<string, unknown> | undefined = w.copy ? {} : undefined;
  for (const key of Object.keys(value)) {
    // A key that holds restricted data is redacted in the path too, so findings never repeat it.
    let safeKey = key;
    if (inspect(key, w.d, undefined).length > 0) {
      const reasons: FindingReason[] = [];
      safeKey = redactString(key, w.d, reasons);
      addFindings(w, { parent: path, segment: safeKey }, reasons);
    }
    const v = visit((value as Record<string, unknown>)[key], path, safeKey, depth + 1, w);
    if (out) {
      const k = freeKey(out, safeKey, w.d);
      if (k !== undefined) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  return out ?? value;
}

/**
 * Where restricted data sits in `value` (a JSON value: an event's properties, context, name…).
 * `rootPath` prefixes every field (`properties` → `properties.card`; `''` → `card`). Keys are
 * scanned as well as values; array items are addressed by index (`properties.items.0.note`).
 */
export function scan(value: unknown, detectors: CompiledDetectors, rootPath: string): Finding[] {
  const w: Walk = { d: detectors, findings: [], seen: new Set(), copy: false };
  visit(value, rootPath, undefined, 0, w);
  return w.findings;
}

/**
 * `key`, or when two keys were redacted alike (or one was already named like the marker), the
 * first of `key (2)`, `key (3)`, … that is free — itself redacted if a detector matches it (a team
 * pattern written against such names), since the redacted copy must scan clean. Undefined, and the
 * value left out, if none of 100 is free.
 */
function freeKey(out: Record<string, unknown>, key: string, d: CompiledDetectors): string | undefined {
  if (!Object.hasOwn(out, key)) return key;
  for (let n = 2; n <= 100; n++) {
    let k = `${key} (${n})`;
    if (inspect(k, d, undefined).length > 0) k = redactString(k, d, []);
    if (!Object.hasOwn(out, k)) return k;
  }
  return undefined;
}

/**
 * A deep copy of `value` with every match replaced by `[redacted]` — in values and in keys (the key
 * is redacted, its value kept) — and everything else unchanged; plus the findings of `scan`.
 * A number that matched becomes a string.
 */
export function redact(value: unknown, detectors: CompiledDetectors, rootPath: string): { value: unknown; findings: Finding[] } {
  const w: Walk = { d: detectors, findings: [], seen: new Set(), copy: true };
  const out = visit(value, rootPath, undefined, 0, w);
  return { value: out, findings: w.findings };
}
