import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { PeopleService } from '../people/index.js';
import { createRequest } from './privacy-requests.js';
import { oneIdentity } from './identity-input.js';
import { identitiesOf, identityFromInput, lockSuppressionList, suppress, suppressionStates } from './suppression-list.js';
/**
 * The right to object: a person's identities (or one identity, even one Haven does not hold yet)
 * join the suppression list. From then on their events are dropped at ingest and no marketing
 * email goes to them. Recorded as a completed request and audited.
 */
export async function objectToProcessing(ctx, teamId, target, actor, requestId) {
    const people = new PeopleService(ctx.keyring);
    return withTeam(ctx.engine, teamId, async (tx) => {
        // Before the person's identities are read: an event in flight may be attaching one.
        await lockSuppressionList(tx, teamId, 'exclusive');
        let personId = null;
        let identities;
        if ('personId' in target) {
            const person = await people.get(tx, teamId, target.personId);
            personId = person.id;
            identities = identitiesOf(person);
        }
        else {
            const { kind, raw, field } = oneIdentity(target);
            const identity = identityFromInput(kind, raw, field);
            personId = (await people.findIdentity(tx, teamId, identity.kind, identity.value)) ?? null;
            // The objection is the person's: every identity of theirs goes on the list, not only the one given.
            identities = personId ? identitiesOf(await people.get(tx, teamId, personId)) : [identity];
        }
        const added = await suppress(ctx, tx, teamId, identities, 'objection', 'team');
        const request = await createRequest(tx, teamId, {
            kind: 'objection',
            status: 'completed',
            personId,
            actor,
            completed: true,
            receipt: { identities: identities.length, newlySuppressed: added, kinds: [...new Set(identities.map((i) => i.kind))] },
        });
        await audit.record(tx, {
            teamId,
            actor,
            action: 'person.objection_recorded',
            target: personId ? { type: 'person', id: personId } : undefined,
            requestId,
            details: { privacyRequest: request.id, identities: identities.length, newlySuppressed: added },
        });
        return request;
    });
}
/**
 * The objection is the person's, whenever they gain an identity: a person added or rectified
 * with one identity on the list for an objection (now or before the rectification) gets every
 * other identity listed too, so a corrected email address or a new user id does not undo it.
 * (An unsubscribe is about its address only, and is not extended.) Runs in the edit's
 * transaction; audited with counts only.
 */
export const extendObjection = async (tx, ctx, { teamId, person, before, actor, requestId }) => {
    // The identities it had count too: correcting the only address that objected keeps the objection.
    const now = identitiesOf(person);
    await lockSuppressionList(tx, teamId, 'share'); // an objection being recorded is seen, or sees this edit
    const gone = before ? identitiesOf(before).filter((b) => !now.some((n) => n.kind === b.kind && n.value === b.value)) : [];
    const states = await suppressionStates(ctx.keyring, tx, teamId, [...now, ...gone]);
    if (!states.some((s) => s.reason === 'objection'))
        return;
    const missing = states.slice(0, now.length).filter((s) => !s.suppressed).map(({ kind, value }) => ({ kind, value }));
    const added = await suppress(ctx, tx, teamId, missing, 'objection', 'team');
    if (added === 0)
        return;
    await audit.record(tx, {
        teamId,
        actor,
        action: 'suppression.added',
        target: { type: 'person', id: person.id },
        requestId,
        details: { via: 'objection_extended', newlySuppressed: added, kinds: [...new Set(missing.map((i) => i.kind))] },
    });
};
//# sourceMappingURL=object-to-processing.js.map