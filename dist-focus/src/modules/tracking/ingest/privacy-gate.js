import { normaliseIdentity } from '../../people/index.js';
import { peopleWithConsent } from '../../privacy/consents.js';
import { privacySettings } from '../../privacy/privacy-settings.js';
import { lockSuppressionList, suppressedAmong } from '../../privacy/suppression-list.js';
import { identityKey, refuse, unsettled } from './batch.js';
import { changesTraits, wantedIds } from './identify-people.js';
/**
 * The identities an event carries, as the suppression list may hold them: every id it may be
 * known by, under each kind it may be held as (a user id once seen as an anonymous id is found
 * through that), and the emails its traits would attach.
 */
function identitiesOfItem(item) {
    const out = wantedIds(item);
    // Each source on its own, as applyTraits reads them: a non-text `traits.email` must not hide
    // the `traitsOnce.email` that would still be attached.
    for (const email of [item.event.traits?.email, item.event.traitsOnce?.email]) {
        if (typeof email !== 'string')
            continue;
        try {
            out.push({ kind: 'email', value: normaliseIdentity('email', email, 'traits.email') });
        }
        catch {
            // Not an email address: nothing to match on the list.
        }
    }
    return out;
}
/**
 * The privacy module's say at ingest, before anything is written for an event:
 * - an event carrying an identity on the team's suppression list (objection, unsubscribe) is
 *   dropped — answered `suppressed` — and creates or changes no person;
 * - when the team requires consent for a purpose, an event whose person has no active consent for
 *   it is dropped — `consent_required` — including every event of a visitor not yet known.
 *
 * Events are judged in order, as if each had come alone after the ones before it: an event that
 * passes vouches for every id it carries, since resolution joins them to its person (a merge
 * keeps that person's consents). So a visitor's first page view sent beside the identify that
 * names them (`identify U + A`, then `track A`) is kept, as it would be one call after the other
 * (events that would change a person — identify, alias, traits — still need their own consent).
 * Returns the events kept on that word alone, with the purpose: `confirmVouchedConsent` checks
 * them against the person they end with, once resolution has run.
 */
export async function dropObjectedAndUnconsented(tx, keyring, teamId, items, holders, options) {
    const { concurrent } = options;
    const candidates = unsettled(items);
    if (candidates.length === 0)
        return NONE_VOUCHED;
    const identities = new Map();
    const all = new Map();
    for (const item of candidates) {
        const ids = identitiesOfItem(item);
        identities.set(item, ids);
        for (const i of ids)
            all.set(identityKey(i.kind, i.value), i);
    }
    // PGlite runs one transaction at a time: nothing can be recorded between this check and the commit.
    if (concurrent)
        await lockSuppressionList(tx, teamId, 'share');
    const suppressed = await suppressedAmong(keyring, tx, teamId, [...all.values()]);
    for (const item of suppressed.size > 0 ? candidates : []) {
        if (identities.get(item).some((i) => suppressed.has(identityKey(i.kind, i.value)))) {
            refuse(item, 'suppressed', 'This person objected to the processing of their data (suppression list); the event was not stored.');
        }
    }
    const { consentRequiredFor } = await privacySettings(tx, teamId);
    if (!consentRequiredFor)
        return NONE_VOUCHED;
    const keysOf = (item) => identities.get(item).map((i) => identityKey(i.kind, i.value));
    const remaining = unsettled(candidates);
    const held = [...new Set(remaining.flatMap((item) => keysOf(item).map((k) => holders.get(k)).filter((p) => p !== undefined)))];
    const consented = await peopleWithConsent(tx, teamId, held, consentRequiredFor);
    const vouchedIds = new Set();
    const vouched = [];
    for (const item of remaining) {
        // The person the event would reach first (its user id before its anonymous id), as resolution picks it.
        const first = keysOf(item).find((k) => vouchedIds.has(k) || holders.has(k));
        const holder = first === undefined ? undefined : holders.get(first);
        const ownConsent = holder !== undefined && consented.has(holder);
        // Only an event that changes no person (no traits, no merge) may pass on another's word: if
        // the ids are not joined after all, it is refused having changed no one.
        const byVouch = !ownConsent && first !== undefined && vouchedIds.has(first) && recordsOnly(item);
        if (!ownConsent && !byVouch) {
            refuse(item, 'consent_required', consentRefusal(consentRequiredFor));
            continue;
        }
        if (byVouch)
            vouched.push(item);
        // Emails are not ids resolution joins: only the ids vouch.
        for (const w of wantedIds(item))
            vouchedIds.add(identityKey(w.kind, w.value));
    }
    return { items: vouched, purpose: consentRequiredFor };
}
const NONE_VOUCHED = { items: [], purpose: null };
/** An event that only records what happened: no identify, alias or group, no traits to set. */
const recordsOnly = (item) => (item.event.type === 'track' || item.event.type === 'page' || item.event.type === 'screen') && !changesTraits(item);
const consentRefusal = (purpose) => `This team records events only for people who consented to “${purpose}”; the event was not stored.`;
/**
 * A vouched-for event that resolution would make a new person for: the identify beside it was
 * refused (its person erased meanwhile), so nobody holds its ids. A new person has no consent, so
 * the event is refused before one is made — no visitor is left behind holding nothing. Returns
 * whether it was refused.
 */
export function refuseVouchedNewcomer(vouched, item) {
    if (vouched.purpose === null || !vouched.items.includes(item))
        return false;
    refuse(item, 'consent_required', consentRefusal(vouched.purpose));
    return true;
}
/**
 * The events kept because an event before them vouched for their ids: refused unless the person
 * resolution gave them has the consent after all — the identify may not have joined the id (on a
 * shared device it stays with the identified person who holds it).
 */
export async function confirmVouchedConsent(tx, teamId, vouched) {
    const items = unsettled(vouched.items);
    const { purpose } = vouched;
    if (items.length === 0 || purpose === null)
        return;
    const consented = await peopleWithConsent(tx, teamId, [...new Set(items.map((item) => item.personId))], purpose);
    for (const item of items)
        if (!consented.has(item.personId))
            refuse(item, 'consent_required', consentRefusal(purpose));
}
//# sourceMappingURL=privacy-gate.js.map