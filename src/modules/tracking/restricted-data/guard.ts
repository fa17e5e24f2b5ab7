import { HavenError } from '../../../platform/http/errors.js';
import { REDACTED, type CompiledDetectors } from './detectors.js';
import { matchKeywords } from './keywords.js';
import { findPaymentCards } from './payment-cards.js';

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

/** Every reason found in `s`, and (when `ranges`) the [start, end) spans to redact. Allocates nothing for clean text. */
function inspect(s: string, d: CompiledDetectors, ranges: number[] | undefined): readonly FindingReason[] {
  let reasons: FindingReason[] | undefined;
  if (s.length >= 13) {
    const cards = findPaymentCards(s, ranges === undefined);
    if (cards.length > 0) {
      reasons = ['payment_card'];
      ranges?.push(...cards);
    }
  }
  const kw = d.keywords;
  if (kw) {
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
        (reasons ??= []).push(`detector:${d.ids[index]!}`);
      }
      return ranges === undefined && count === kw.detectors; // scanning: every keyword detector seen
    });
  }
  for (const r of d.regexes) {
    if (s.length < r.minLength) continue;
    const re = r.re;
    re.lastIndex = 0;
    let m = re.exec(s);
    if (!m) continue;
    (reasons ??= []).push(`detector:${d.ids[r.index]!}`);
    if (!ranges) continue;
    for (; m; m = re.exec(s)) {
      ranges.push(m.index, m.index + m[0].length);
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return reasons ?? NONE;
}

/** `s` with the spans replaced by the marker (spans may overlap and come in any order). */
function replaceSpans(s: string, spans: number[]): string {
  const pairs: [number, number][] = [];
  for (let i = 0; i < spans.length; i += 2) pairs.push([spans[i]!, spans[i + 1]!]);
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
const pathText = (p: Path | string): string => {
  if (typeof p === 'string') return p;
  const parent = pathText(p.parent);
  return parent === '' ? p.segment : `${parent}.${p.segment}`;
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

function visit(value: unknown, path: Path | string, depth: number, w: Walk): unknown {
  const text = scalarText(value);
  if (text !== undefined) {
    if (!w.copy) {
      const found = inspect(text, w.d, undefined);
      if (found.length > 0) addFindings(w, path, found);
      return value;
    }
    const reasons: FindingReason[] = [];
    const out = redactString(text, w.d, reasons);
    if (reasons.length === 0) return value;
    addFindings(w, path, reasons);
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_SCAN_DEPTH) throw new HavenError('too_deep', 400, `Values nest more than ${MAX_SCAN_DEPTH} levels.`, pathText(path));
  if (Array.isArray(value)) {
    const out: unknown[] | undefined = w.copy ? new Array<unknown>(value.length) : undefined;
    for (let i = 0; i < value.length; i++) {
      const v = visit(value[i], { parent: path, segment: String(i) }, depth + 1, w);
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
    const v = visit((value as Record<string, unknown>)[key], { parent: path, segment: safeKey }, depth + 1, w);
    if (out) {
      let k = safeKey;
      while (Object.hasOwn(out, k)) k = `${k} ${REDACTED}`; // two keys redacted alike, or a key already named like the marker
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
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
  visit(value, rootPath, 0, w);
  return w.findings;
}

/**
 * A deep copy of `value` with every match replaced by `[redacted]` — in values and in keys (the key
 * is redacted, its value kept) — and everything else unchanged; plus the findings of `scan`.
 * A number that matched becomes a string.
 */
export function redact(value: unknown, detectors: CompiledDetectors, rootPath: string): { value: unknown; findings: Finding[] } {
  const w: Walk = { d: detectors, findings: [], seen: new Set(), copy: true };
  const out = visit(value, rootPath, 0, w);
  return { value: out, findings: w.findings };
}
