import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { teamExists } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { deleteEventsOfPerson } from '../tracking/index.js';
import { advanceRequest } from './privacy-requests.js';
const BATCH = 5_000;
/**
 * Second step of an erasure, run as a job after the shred: delete the person's events in batches
 * (already undecryptable), then their row and everything that references it, then complete the
 * receipt. Idempotent: a retry after a crash carries on where the last batch committed.
 */
export async function purgeErasedPerson(ctx, job) {
    // The whole team may have been deleted since the erasure: then there is nothing left to purge,
    // and writing a receipt or an audit entry would leave a row of a deleted team behind.
    if (!(await withTeam(ctx.engine, job.teamId, (tx) => teamExists(tx, job.teamId))))
        return { events: 0 };
    const started = Date.now();
    let events = 0;
    for (;;) {
        const n = await withTeam(ctx.engine, job.teamId, (tx) => deleteEventsOfPerson(tx, job.teamId, job.personId, BATCH));
        events += n;
        if (n < BATCH)
            break;
    }
    const people = new PeopleService(ctx.keyring);
    await withTeam(ctx.engine, job.teamId, async (tx) => {
        const purged = await people.purgeErased(tx, job.teamId, job.personId);
        await advanceRequest(tx, job.teamId, job.privacyRequestId, 'completed', { purgedAt: new Date().toISOString(), purged: { events, profile: purged ? 1 : 0 }, purgeMs: Date.now() - started }, true);
        await audit.record(tx, {
            teamId: job.teamId,
            actor: { type: 'system', id: null },
            action: 'person.purged',
            target: { type: 'person', id: job.personId },
            details: { privacyRequest: job.privacyRequestId, events },
        });
    });
    return { events };
}
//# sourceMappingURL=purge-person.js.map