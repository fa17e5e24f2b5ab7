import { HavenError } from '../../../platform/http/errors.js';
import { normaliseIdentity } from '../../people/index.js';
import { DETECTORS_INVALID, describeReason, guardEvent, guardSettings } from '../restricted-data-settings.js';
import { checkSizes } from '../event.js';
import { refuse } from './batch.js';
/**
 * The restricted-data guard (I4) on every item, with the team's settings read once per
 * transaction: refused events are answered with the field at fault, redacted ones go on cleaned;
 * what was stopped is counted per reason (never the value) — returned, for the pipeline to add to
 * the team's daily counts as its last step (those rows are the team's, shared by every group: held
 * from the first step on, they made the groups run one at a time). Then each event's ids are
 * normalised.
 */
export async function guardEvents(tx, teamId, items) {
    const settings = await guardSettings(tx, teamId);
    const stopped = new Map();
    if (settings.problem) {
        for (const item of items) {
            refuse(item, DETECTORS_INVALID, "This team's restricted-data detectors no longer pass Haven's checks; an owner or admin must save them again. The event was not stored.");
        }
        stopped.set(`rejected|${DETECTORS_INVALID}`, items.length);
        return stopped;
    }
    for (const item of items) {
        try {
            const guarded = guardEvent(item.event, settings);
            // The marker may outgrow a limit the event met as sent: refused then, as if the mode were reject.
            const tooBig = guarded.outcome === 'redacted' ? sizeRefusal(guarded.event) : undefined;
            const outcome = tooBig ? 'rejected' : guarded.outcome;
            if (guarded.outcome !== 'clean') {
                for (const reason of new Set(guarded.findings.map((f) => f.reason))) {
                    const k = `${outcome}|${reason}`;
                    stopped.set(k, (stopped.get(k) ?? 0) + 1);
                }
            }
            if (tooBig) {
                refuse(item, tooBig.code, `${tooBig.message} (once its restricted data was redacted; the event was not stored)`, tooBig.field);
                continue;
            }
            if (guarded.outcome === 'rejected') {
                const first = guarded.findings[0];
                refuse(item, 'restricted_data', `Refused: ${describeReason(first.reason, settings)} is restricted data this team does not collect.`, first.field);
                continue;
            }
            const e = guarded.event;
            item.event = e;
            item.external = e.userId !== undefined ? normaliseIdentity('external_id', e.userId, 'userId') : undefined;
            item.anonymous = e.anonymousId !== undefined ? normaliseIdentity('anonymous_id', e.anonymousId, 'anonymousId') : undefined;
            item.distinct = e.distinctId !== undefined ? normaliseIdentity('external_id', e.distinctId, 'distinct_id') : undefined;
        }
        catch (error) {
            if (!(error instanceof HavenError))
                throw error;
            refuse(item, error.code, error.message, error.field);
        }
    }
    return stopped;
}
/** Why an event breaks the size limits (checkSizes), or undefined when it does not. */
function sizeRefusal(e) {
    try {
        checkSizes(e);
        return undefined;
    }
    catch (error) {
        if (error instanceof HavenError)
            return error;
        throw error;
    }
}
//# sourceMappingURL=guard-events.js.map