/**
 * The restricted-data guard (invariant I4): finds payment card numbers and team-configured
 * restricted data (keywords, patterns) anywhere in a JSON value, for ingest to reject or redact.
 * Pure and synchronous: no database, no I/O. See docs/decisions/0009-restricted-data-guard.md.
 */
export { compileDetectors, CompiledDetectors, DETECTOR_LIMITS, REDACTED, type DetectorDefinition } from './detectors.js';
export { redact, scan, MAX_SCAN_DEPTH, type Finding, type FindingReason } from './guard.js';
export { CARD_BRANDS, isPlausibleCard, type CardBrand } from './payment-cards.js';
export { MAX_PATTERN_LENGTH, MAX_PROGRAM_SIZE } from './team-patterns.js';
