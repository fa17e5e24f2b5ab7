import { HavenError } from '../../platform/http/errors.js';
import { compileDetectors, redact, scan } from './restricted-data/index.js';
// Compiled detectors per team and settings version: compiling is done once per change, not per batch.
const compiledCache = new Map();
function compileStored(detectors) {
    try {
        return { compiled: compileDetectors(detectors), problem: null };
    }
    catch (error) {
        if (!(error instanceof HavenError))
            throw error;
        return { compiled: compileDetectors([]), problem: { field: error.field, message: error.message } };
    }
}
export async function guardSettings(tx, teamId) {
    const r = await tx.query(`SELECT restricted_mode, detectors, updated_at FROM tracking_settings WHERE team_id = $1`, [teamId]);
    const row = r.rows[0];
    const detectors = row?.detectors ?? [];
    const cacheKey = `${teamId}|${row?.updated_at.toISOString() ?? 'default'}`;
    let compiled = compiledCache.get(cacheKey);
    if (!compiled) {
        compiled = compileStored(detectors);
        if (compiledCache.size > 10_000)
            compiledCache.clear();
        compiledCache.set(cacheKey, compiled);
    }
    return { mode: row?.restricted_mode ?? 'reject', detectors, ...compiled };
}
/** Validate (compiles every detector; throws `invalid_detector`) and store a team's guard settings. */
export async function saveGuardSettings(tx, teamId, mode, detectors) {
    compileDetectors(detectors);
    await tx.query(`INSERT INTO tracking_settings (team_id, restricted_mode, detectors, updated_at) VALUES ($1, $2, $3::jsonb, clock_timestamp())
     ON CONFLICT (team_id) DO UPDATE SET restricted_mode = excluded.restricted_mode, detectors = excluded.detectors, updated_at = excluded.updated_at`, [teamId, mode, JSON.stringify(detectors)]);
}
/**
 * The parts of an event the guard reads, under the field names senders know: the name is a track
 * call's `event` but a page's or screen's `name`, so a finding there names the field that was sent.
 */
function guarded(e) {
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
export function guardEvent(e, settings) {
    const view = guarded(e);
    const findings = scan(view, settings.compiled, '');
    if (findings.length === 0)
        return { outcome: 'clean', event: e };
    const inIdentity = findings.some((f) => IDENTITY_FIELDS.includes(f.field));
    if (settings.mode === 'reject' || inIdentity)
        return { outcome: 'rejected', event: e, findings };
    const clean = redact(view, settings.compiled, '').value;
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
export async function countFindings(tx, teamId, counts) {
    for (const [key, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const [outcome, reason] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
        await tx.query(`INSERT INTO restricted_data_counts (team_id, day, reason, outcome, events) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2, $3, $4)
       ON CONFLICT (team_id, day, reason, outcome) DO UPDATE SET events = restricted_data_counts.events + excluded.events`, [teamId, reason, outcome, n]);
    }
}
/** The reason counted for events refused because the stored detectors need saving again. */
export const DETECTORS_INVALID = 'detectors_invalid';
export function describeReason(reason, settings) {
    if (reason === 'payment_card')
        return 'a payment card number';
    const id = reason.replace(/^detector:/, '');
    return settings.detectors.find((d) => d.id === id)?.label ?? 'restricted data';
}
//# sourceMappingURL=restricted-data-settings.js.map