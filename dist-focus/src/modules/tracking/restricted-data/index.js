/**
 * The restricted-data guard (invariant I4): finds payment card numbers and team-configured
 * restricted data (keywords, patterns) anywhere in a JSON value, for ingest to reject or redact.
 * Pure and synchronous: no database, no I/O. See docs/decisions/0009-restricted-data-guard.md.
 */
export { compileDetectors, CompiledDetectors, DETECTOR_LIMITS, REDACTED } from './detectors.js';
export { redact, scan, MAX_SCAN_DEPTH } from './guard.js';
export { CARD_BRANDS, isPlausibleCard } from './payment-cards.js';
export { MAX_MATCH_LENGTH, MAX_PATTERN_LENGTH, MAX_REPEAT, MAX_STEPS, MAX_TOTAL_STEPS } from './safe-regex.js';
//# sourceMappingURL=index.js.map