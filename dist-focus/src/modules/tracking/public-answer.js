/** Refusals that come from what the team holds (its suppression list, consents, an erasure), not from what was sent. */
const PRIVACY_DROPS = new Set(['suppressed', 'consent_required', 'person_erased']);
/**
 * What the holder of a write key is told of an event: accepted, or refused for something in the
 * event itself (its shape, its times, restricted data), with the field at fault. Nothing that
 * depends on what the team holds about people: no event or person id, no duplicate flag, and an
 * event the team's privacy rules dropped reads as accepted. A write key is public (it is in the
 * team's pages): anything more would let anyone ask whether an email objected, was erased or
 * consented, or which ids are one person.
 */
export function publicAnswer(result) {
    if (result.status === 'accepted' || PRIVACY_DROPS.has(result.code))
        return { index: result.index, status: 'accepted' };
    return result;
}
//# sourceMappingURL=public-answer.js.map