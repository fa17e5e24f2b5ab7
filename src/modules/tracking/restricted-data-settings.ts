import type { Tx } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { type CompiledDetectors, DETECTOR_LIMITS, type DetectorDefinition, type Finding, compileDetectors, redact, scan } from './restricted-data/index.js';
import type { IncomingEvent } from './event.js';

export type RestrictedMode = 'reject' | 'redact';

export interface GuardSettings {
  mode: RestrictedMode;
  detectors: DetectorDefinition[];
  compiled: CompiledDetectors;
  /**
   * Set when the stored detectors no longer pass today's checks (a later Haven tightened them):
   * the first problem, as a save would report it. Ingest then refuses every event of the team
   * (`detectors_invalid`) rather than run a detector that may run away or skip one the team set.
   */
  problem: { field: string | undefined; message: string } | null;
}

type Compiled = Pick<GuardSettings, 'compiled' | 'problem'>;

/**
 * Compiled detectors of the teams seen last, each for its latest settings version: compiling is
 * done once per change, not per batch. A team's compiled patterns hold a lazy DFA of up to
 * 256 KiB, so the cache keeps one version per team and forgets the team used longest ago.
 */
const compiledCache = new Map<string, Compiled & { version: string }>();
const MAX_CACHED_TEAMS = 1_000;

function compileStored(detectors: DetectorDefinition[]): Compiled {
  try {
    return { compiled: compileDetectors(detectors), problem: null };
  } catch (error) {
    if (!(error instanceof HavenError)) throw error;
    return { compiled: compileDetectors([]), problem: { field: error.field, message: error.message } };
  }
}

export async function guardSettings(tx: Tx, teamId: string): Promise<GuardSettings> {
  // The version as text keeps updated_at's microseconds (a Date keeps milliseconds: two saves in
  // one millisecond would read as one version, and the first one's detectors would go on running).
  const r = await tx.query<{ restricted_mode: RestrictedMode; detectors: DetectorDefinition[]; version: string }>(
    `SELECT restricted_mode, detectors, updated_at::text AS version FROM tracking_settings WHERE team_id = $1`,
    [teamId],
  );
  const row = r.rows[0];
  const detectors = row?.detectors ?? [];
  const version = row?.version ?? 'default';
  let cached = compiledCache.get(teamId);
  compiledCache.delete(teamId); // re-inserted below: the Map's order is the order of use
  if (cached?.version !== version) cached = { ...compileStored(detectors), version };
  compiledCache.set(teamId, cached);
  if (compiledCache.size > MAX_CACHED_TEAMS) compiledCache.delete(compiledCache.keys().next().value!);
  return { mode: row?.restricted_mode ?? 'reject', detectors, compiled: cached.compiled, problem: cached.problem };
}

/** Validate (compiles every detector; throws `invalid_detector`) and store a team's guard settings. */
export async function saveGuardSettings(tx: Tx, teamId: string, mode: RestrictedMode, detectors: DetectorDefinition[]): Promise<void> {
  compileDetectors(detectors, { compileBudgetMs: DETECTOR_LIMITS.saveCompileBudgetMs });
  await tx.query(
    `INSERT INTO tracking_settings (team_id, restricted_mode, detectors, updated_at) VALUES ($1, $2, $3::jsonb, clock_timestamp())
     ON CONFLICT (team_id) DO UPDATE SET restricted_mode = excluded.restricted_mode, detectors = excluded.detectors, updated_at = excluded.updated_at`,
    [teamId, mode, JSON.stringify(detectors)],
  );
}

/**
 * The parts of an event the guard reads, under the field names senders know: the name is a track
 * call's `event` but a page's or screen's `name`, so a finding there names the field that was sent.
 */
function guarded(e: IncomingEvent) {
  const track = e.type === 'track';
  // One literal, one shape (a spread here cost ~2.5% of ingest's CPU): the other name is undefined, which the guard passes by.
  return {
    event: track ? e.name : undefined,
    name: track ? undefined : e.name,
    userId: e.userId,
    anonymousId: e.anonymousId,
    distinct_id: e.distinctId,
    // Stored as an unkeyed hash: a card number here could be recovered by brute force.
    messageId: e.messageId,
    properties: e.properties,
    traits: e.traits,
    traitsOnce: e.traitsOnce,
    context: e.context,
  };
}

const IDENTITY_FIELDS = ['userId', 'anonymousId', 'distinct_id', 'messageId'];

/**
 * Apply the guard to one event. `reject` mode: any finding refuses the event. `redact` mode:
 * matched text is replaced by `[redacted]` and the event kept — except in an identity, which
 * cannot be redacted without becoming someone else, so the event is refused.
 */
export function guardEvent(
  e: IncomingEvent,
  settings: GuardSettings,
): { outcome: 'clean'; event: IncomingEvent } | { outcome: 'rejected' | 'redacted'; event: IncomingEvent; findings: Finding[] } {
  const view = guarded(e);
  const findings = scan(view, settings.compiled, '');
  if (findings.length === 0) return { outcome: 'clean', event: e };
  const inIdentity = findings.some((f) => IDENTITY_FIELDS.includes(f.field));
  if (settings.mode === 'reject' || inIdentity) return { outcome: 'rejected', event: e, findings };
  const clean = redact(view, settings.compiled, '').value as ReturnType<typeof guarded>;
  return {
    outcome: 'redacted',
    findings,
    event: { ...e, name: e.type === 'track' ? clean.event : clean.name, properties: clean.properties, traits: clean.traits, traitsOnce: clean.traitsOnce, context: clean.context },
  };
}

/**
 * Count what the guard stopped today, per reason: the team sees counts, never values. Rows in key
 * order, so two transactions counting the same reasons queue instead of deadlocking.
 */
export async function countFindings(tx: Tx, teamId: string, counts: Map<string, number>): Promise<void> {
  for (const [key, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [outcome, reason] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
    await tx.query(
      `INSERT INTO restricted_data_counts (team_id, day, reason, outcome, events) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2, $3, $4)
       ON CONFLICT (team_id, day, reason, outcome) DO UPDATE SET events = restricted_data_counts.events + excluded.events`,
      [teamId, reason, outcome, n],
    );
  }
}

/** The reason counted for events refused because the stored detectors need saving again. */
export const DETECTORS_INVALID = 'detectors_invalid';

export function describeReason(reason: string, settings: GuardSettings): string {
  if (reason === 'payment_card') return 'a payment card number';
  const id = reason.replace(/^detector:/, '');
  return settings.detectors.find((d) => d.id === id)?.label ?? 'restricted data';
}
