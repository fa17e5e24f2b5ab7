import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/engine.js';
import { normaliseIdentity } from '../../people/index.js';
import { peopleWithConsent } from '../../privacy/consents.js';
import { privacySettings } from '../../privacy/privacy-settings.js';
import { type Identity, lockSuppressionList, suppressedAmong } from '../../privacy/suppression-list.js';
import { type Item, identityKey, refuse, unsettled } from './batch.js';
import { wantedIds } from './identify-people.js';

/**
 * The identities an event carries, as the suppression list may hold them: every id it may be
 * known by, under each kind it may be held as (a user id once seen as an anonymous id is found
 * through that), and the emails its traits would attach.
 */
function identitiesOfItem(item: Item): Identity[] {
  const out: Identity[] = wantedIds(item);
  // Each source on its own, as applyTraits reads them: a non-text `traits.email` must not hide
  // the `traitsOnce.email` that would still be attached.
  for (const email of [item.event.traits?.email, item.event.traitsOnce?.email]) {
    if (typeof email !== 'string') continue;
    try {
      out.push({ kind: 'email', value: normaliseIdentity('email', email, 'traits.email') });
    } catch {
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
 */
export async function dropObjectedAndUnconsented(
  tx: Tx,
  keyring: Keyring,
  teamId: string,
  items: readonly Item[],
  holders: ReadonlyMap<string, string>,
  options: { concurrent: boolean },
): Promise<void> {
  const { concurrent } = options;
  const candidates = unsettled(items);
  if (candidates.length === 0) return;
  const identities = new Map<Item, Identity[]>();
  const all = new Map<string, Identity>();
  for (const item of candidates) {
    const ids = identitiesOfItem(item);
    identities.set(item, ids);
    for (const i of ids) all.set(identityKey(i.kind, i.value), i);
  }
  // PGlite runs one transaction at a time: nothing can be recorded between this check and the commit.
  if (concurrent) await lockSuppressionList(tx, teamId, 'share');
  const suppressed = await suppressedAmong(keyring, tx, teamId, [...all.values()]);
  for (const item of suppressed.size > 0 ? candidates : []) {
    if (identities.get(item)!.some((i) => suppressed.has(identityKey(i.kind, i.value)))) {
      refuse(item, 'suppressed', 'This person objected to the processing of their data (suppression list); the event was not stored.');
    }
  }
  const { consentRequiredFor } = await privacySettings(tx, teamId);
  if (!consentRequiredFor) return;
  const personOf = (item: Item) => identities.get(item)!.map((i) => holders.get(identityKey(i.kind, i.value))).find((p) => p !== undefined);
  const remaining = unsettled(candidates);
  const consented = await peopleWithConsent(tx, teamId, [...new Set(remaining.map(personOf).filter((p): p is string => p !== undefined))], consentRequiredFor);
  for (const item of remaining) {
    const person = personOf(item);
    if (!person || !consented.has(person)) {
      refuse(item, 'consent_required', `This team records events only for people who consented to “${consentRequiredFor}”; the event was not stored.`);
    }
  }
}
