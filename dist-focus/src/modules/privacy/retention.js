import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { HavenError } from '../../platform/http/errors.js';
import { eachTeamApart } from '../../platform/jobs/index.js';
import { teamExists } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { countEventsBefore, deleteEventsBefore, peopleActiveSince } from '../tracking/index.js';
import { erasePersonIn } from './erase-person.js';
import { privacySettings } from './privacy-settings.js';
export const RETENTION_JOB = 'privacy.retention';
const BATCH = 5_000;
/** `months` calendar months before `now`, on the same day or the month's last (31 March − 1 month = 28/29 February). */
export function monthsBefore(now, months) {
    const d = new Date(now);
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - months);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
    return d;
}
/**
 * Inactivity is judged from the events still kept: events must be kept at least as long as the
 * inactivity window (a month counted as 31 days), or a person active within the window would
 * look inactive once their events were deleted.
 */
export function retentionConflict(s) {
    if (s.eventRetentionDays === null || s.inactivePeopleMonths === null)
        return null;
    if (s.eventRetentionDays >= s.inactivePeopleMonths * 31)
        return null;
    return `Events must be kept at least as long as the inactivity window (${s.inactivePeopleMonths * 31} days for ${s.inactivePeopleMonths} months): inactivity is judged from the events kept.`;
}
/** People with something recorded about them since `since`: events, notes, consents given or withdrawn. */
async function activeSince(people, tx, teamId, personIds, since) {
    if (personIds.length === 0)
        return new Set();
    const active = await peopleActiveSince(tx, teamId, personIds, since);
    for (const id of await people.notedSince(tx, teamId, personIds, since))
        active.add(id);
    const consents = await tx.query(`SELECT DISTINCT person_id FROM consents WHERE team_id = $1 AND person_id = ANY($2::uuid[]) AND (given_at >= $3 OR withdrawn_at >= $3)`, [teamId, personIds, since]);
    for (const row of consents.rows)
        active.add(row.person_id);
    return active;
}
/** What the team's retention policy would remove now — the dry run, and the plan `applyRetention` follows. */
export async function planRetention(ctx, teamId, now = new Date()) {
    const people = new PeopleService(ctx.keyring);
    return withTeam(ctx.engine, teamId, async (tx) => {
        const settings = await privacySettings(tx, teamId);
        const eventsBefore = settings.eventRetentionDays ? new Date(now.getTime() - settings.eventRetentionDays * 86_400_000) : null;
        // Settings stored before the rule (retentionConflict) erase nobody: keeping is the safe side.
        const inactiveSince = settings.inactivePeopleMonths && !retentionConflict(settings) ? monthsBefore(now, settings.inactivePeopleMonths) : null;
        let inactivePeople = [];
        if (inactiveSince) {
            const candidates = await people.unchangedSince(tx, teamId, inactiveSince);
            const active = await activeSince(people, tx, teamId, candidates, inactiveSince);
            inactivePeople = candidates.filter((id) => !active.has(id));
        }
        const expired = await tx.query(`SELECT count(*)::int AS n FROM privacy_requests WHERE team_id = $1 AND kind = 'export' AND status = 'ready' AND expires_at <= $2`, [teamId, now]);
        return {
            settings: { eventRetentionDays: settings.eventRetentionDays, inactivePeopleMonths: settings.inactivePeopleMonths },
            eventsBefore: eventsBefore?.toISOString() ?? null,
            events: eventsBefore ? await countEventsBefore(tx, teamId, eventsBefore) : 0,
            inactiveSince: inactiveSince?.toISOString() ?? null,
            inactivePeople,
            expiredExports: expired.rows[0].n,
            problem: retentionConflict(settings),
        };
    });
}
/**
 * Apply the policy: old events deleted in batches, inactive people erased (shred now, purge job
 * later — exactly like a requested erasure, ledger included), expired export links closed. Audited
 * with the counts.
 */
export async function applyRetention(ctx, teamId, actor, now = new Date()) {
    return applyRetentionPlan(ctx, teamId, await planRetention(ctx, teamId, now), actor, now);
}
/**
 * `applyRetention` of a plan made earlier. Deleting old events can take minutes, so each listed
 * person is checked again just before their erasure; one who became active meanwhile is skipped.
 */
export async function applyRetentionPlan(ctx, teamId, plan, actor, now) {
    let events = 0;
    if (plan.eventsBefore) {
        const cutoff = new Date(plan.eventsBefore);
        for (;;) {
            const n = await withTeam(ctx.engine, teamId, (tx) => deleteEventsBefore(tx, teamId, cutoff, BATCH));
            events += n;
            if (n < BATCH)
                break;
        }
    }
    let erased = 0;
    const inactiveSince = plan.inactiveSince ? new Date(plan.inactiveSince) : null;
    for (const personId of plan.inactivePeople) {
        if (!inactiveSince)
            break;
        try {
            if (await eraseIfStillInactive(ctx, teamId, personId, inactiveSince, actor))
                erased++;
        }
        catch (error) {
            // Erased or merged away meanwhile: the next run looks again.
            if (!(error instanceof HavenError))
                throw error;
        }
    }
    const expiredExports = await withTeam(ctx.engine, teamId, async (tx) => {
        // A team deleted while its retention ran gets no entry: the log went with it.
        if (!(await teamExists(tx, teamId, { hold: true })))
            return 0;
        const r = await tx.query(`UPDATE privacy_requests SET status = 'expired' WHERE team_id = $1 AND kind = 'export' AND status = 'ready' AND expires_at <= $2`, [teamId, now]);
        await audit.record(tx, {
            teamId,
            actor,
            action: 'privacy.retention_applied',
            details: { events, people: erased, expiredExports: r.rowCount, eventRetentionDays: plan.settings.eventRetentionDays, inactivePeopleMonths: plan.settings.inactivePeopleMonths },
        });
        return r.rowCount;
    });
    return { events, people: erased, expiredExports };
}
/**
 * Erase a person the plan listed if they are still inactive by the plan's measure (profile
 * unchanged, and no event, note or consent since `inactiveSince`), checked with their row locked: an event or a
 * profile change committed before the lock is seen here, and one attempted after it waits for the
 * erasure (an event's insert locks the person row it references). False when skipped.
 */
async function eraseIfStillInactive(ctx, teamId, personId, inactiveSince, actor) {
    const people = new PeopleService(ctx.keyring);
    return withTeam(ctx.engine, teamId, async (tx) => {
        const person = await people.get(tx, teamId, personId, { lock: true });
        // updatedAt is cut to whole milliseconds and inactiveSince is whole: the plan's `updated_at < cutoff`.
        if (new Date(person.updatedAt) >= inactiveSince)
            return false;
        if ((await activeSince(people, tx, teamId, [personId], inactiveSince)).size > 0)
            return false;
        await erasePersonIn(ctx, tx, teamId, personId, actor);
        return true;
    });
}
/**
 * The daily job: every team with a retention policy or open export links. Needs a role that sees
 * every team. A team that fails is logged and skipped, so it does not keep every later team's
 * old data past its policy; the run then fails, and the job is retried (applying retention again
 * is harmless).
 */
export async function applyRetentionEverywhere(ctx) {
    const teams = await ctx.engine.ownerTransaction(async (tx) => {
        const r = await tx.query(`SELECT team_id FROM privacy_settings WHERE event_retention_days IS NOT NULL OR inactive_people_months IS NOT NULL
       UNION SELECT DISTINCT team_id FROM privacy_requests WHERE kind = 'export' AND status = 'ready' AND expires_at <= now()
       ORDER BY team_id`);
        return r.rows.map((x) => x.team_id);
    });
    await eachTeamApart(ctx.logger, teams.map((teamId) => ({ teamId, run: () => applyRetention(ctx, teamId, { type: 'system', id: null }) })), { logged: 'retention failed for a team; the other teams go on', thrown: (failed, total) => `retention failed for ${failed} of ${total} teams (see the log)` });
    return teams.length;
}
//# sourceMappingURL=retention.js.map