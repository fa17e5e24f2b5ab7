import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { openErasureLedger } from '../../platform/erasure-ledger/index.js';
import { HavenError } from '../../platform/http/errors.js';
import { PeopleService } from '../people/index.js';
import { createRequest } from './privacy-requests.js';
import { closeOpenExports } from './request-export.js';
import { identitiesOf, suppress } from './suppression-list.js';
export const PURGE_PERSON_JOB = 'privacy.purge-person';
/**
 * Erase a person (I3). In one transaction: the erasure is appended to the ledger (outside the
 * database, so restoring an older backup replays it) before anything commits; then every subject
 * key of the person is deleted — from that instant nothing of theirs decrypts, here or in any
 * backup — with the rows that make them findable; a receipt is stored, the erasure audited and the
 * purge of what remains (their events) queued in the same transaction, so it cannot be lost.
 */
export async function erasePerson(ctx, teamId, personId, actor, options = {}) {
    return withTeam(ctx.engine, teamId, (tx) => erasePersonIn(ctx, tx, teamId, personId, actor, options));
}
/** `erasePerson` in the caller's withTeam transaction (retention re-checks the person first, under the same lock). */
export async function erasePersonIn(ctx, tx, teamId, personId, actor, options = {}) {
    const people = new PeopleService(ctx.keyring);
    const ledger = openErasureLedger(ctx.config);
    const person = await lockPersonToErase(people, tx, teamId, personId);
    const suppressed = options.suppress ? await suppress(ctx, tx, teamId, identitiesOf(person), 'erasure', 'team') : 0;
    const subjectIds = await people.subjectsOf(tx, teamId, personId);
    const erasedAt = new Date().toISOString();
    await ledger.append({ kind: 'person', teamId, personId, subjectIds, erasedAt }, tx);
    const { counts } = await people.shred(tx, teamId, personId);
    const closedExports = await closeOpenExports(tx, teamId, subjectIds);
    const request = await createRequest(tx, teamId, {
        kind: 'erasure',
        status: 'shredded',
        personId,
        actor,
        receipt: { shreddedAt: erasedAt, shredded: counts, suppressedIdentities: suppressed, closedExports },
    });
    await audit.record(tx, {
        teamId,
        actor,
        action: 'person.erased',
        target: { type: 'person', id: personId },
        requestId: options.requestId,
        details: { privacyRequest: request.id, subjectKeys: counts.subjectKeys ?? 0, suppressedIdentities: suppressed },
    });
    await ctx.jobs.send(PURGE_PERSON_JOB, { teamId, personId, privacyRequestId: request.id }, { tx });
    return request;
}
/**
 * The person, with their row locked for the erasure. Whether they were already erased is asked
 * after the lock: a concurrent erasure of the same person holds that lock until it commits, and
 * the person it leaves behind is erased (409), not missing (404). So is one whose row the purge has
 * since removed: their erasure request stays, and a retry must not read as a wrong id.
 */
async function lockPersonToErase(people, tx, teamId, personId) {
    try {
        return await people.get(tx, teamId, personId, { lock: true });
    }
    catch (error) {
        if (error instanceof HavenError && error.code === 'not_found' && (await wasErased(people, tx, teamId, personId))) {
            throw new HavenError('already_erased', 409, 'This person has already been erased.');
        }
        throw error;
    }
}
async function wasErased(people, tx, teamId, personId) {
    if (await people.isErased(tx, teamId, personId))
        return true;
    const r = await tx.query(`SELECT 1 FROM privacy_requests WHERE team_id = $1 AND person_id = $2 AND kind = 'erasure' LIMIT 1`, [teamId, personId]);
    return r.rowCount > 0;
}
//# sourceMappingURL=erase-person.js.map