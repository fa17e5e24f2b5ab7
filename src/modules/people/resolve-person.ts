import type { Tx } from '../../platform/db/engine.js';
import { addPeople } from './add-people.js';
import { IDENTITY_KINDS, IDENTITY_LIMITS, normaliseIdentity } from './identities.js';
import { type OnMerge, mergePeople } from './merge-people.js';
import { addIdentity, countIdentities, findIdentity, identityCountsOf, lockIdentities } from './person-identities.js';
import type { PeopleContext } from './sealed-fields.js';
import { touchPerson } from './update-person.js';

/**
 * The person an event belongs to, by `userId` (external id) and/or `anonymousId`: found, created,
 * or — when the two ids name two people — the anonymous one merged into the identified one
 * (only when `merge` is set: identify and alias calls). Missing ids are attached as identities,
 * except a new user id whose anonymous id is held by someone identified: that user gets a person
 * of their own (two people, one device). An alias's previous id (`anonymousId` here, with
 * `previousMayBeUser`) may also be an earlier user id (Segment's `previousId`, PostHog's alias).
 * Two people who are both identified are merged only with `mergeIdentified` (an alias the team
 * sent with its own credentials); otherwise they stay apart, as PostHog keeps them, and the
 * previous id is not attached to the user's person.
 * Returns the person and the id merged away, if any.
 */
export async function resolvePerson(
  ctx: PeopleContext,
  tx: Tx,
  teamId: string,
  ids: { externalId?: string | undefined; anonymousId?: string | undefined; distinctId?: string | undefined },
  options: { merge: boolean; previousMayBeUser?: boolean; mergeIdentified?: boolean; onMerge?: OnMerge },
): Promise<{ personId: string; mergedFrom: string | null; created: boolean }> {
  if (ids.distinctId !== undefined) {
    // PostHog's one id may be either kind: an identified person's external id, else an anonymous id.
    const distinct = normaliseIdentity('external_id', ids.distinctId, 'distinct_id');
    const known = await findIdentity(ctx, tx, teamId, 'external_id', distinct);
    if (known) return { personId: known, mergedFrom: null, created: false };
    return resolvePerson(ctx, tx, teamId, { anonymousId: distinct }, options);
  }
  const external = ids.externalId !== undefined ? normaliseIdentity('external_id', ids.externalId, 'userId') : undefined;
  const anonymous = ids.anonymousId !== undefined ? normaliseIdentity('anonymous_id', ids.anonymousId, 'anonymousId') : undefined;
  const previousMayBeUser = options.previousMayBeUser === true && anonymous !== undefined && anonymous !== external;
  const claims = [
    ...(external ? [`external_id|${external}`] : []),
    ...(anonymous ? [`anonymous_id|${anonymous}`] : []),
    ...(previousMayBeUser ? [`external_id|${anonymous}`] : []),
  ];
  await lockIdentities(tx, teamId, claims);
  // A user id first seen as a distinct id (PostHog: captured before identify) is that person's.
  const externalHolder = external ? await findIdentity(ctx, tx, teamId, 'external_id', external) : undefined;
  const hasExternal = externalHolder !== undefined;
  const byExternal =
    externalHolder ?? (external && external !== anonymous ? await findIdentity(ctx, tx, teamId, 'anonymous_id', external) : undefined);
  const byAnonymous = anonymous
    ? ((await findIdentity(ctx, tx, teamId, 'anonymous_id', anonymous)) ?? (previousMayBeUser ? await findIdentity(ctx, tx, teamId, 'external_id', anonymous) : undefined))
    : undefined;
  if (!byExternal && !byAnonymous) {
    const [personId] = await addPeople(ctx, tx, teamId, [{ externalIds: external ? [external] : [], anonymousIds: anonymous ? [anonymous] : [] }], () => '');
    return { personId: personId!, mergedFrom: null, created: true };
  }
  // Past a limit an id is not attached: the event is still the person's.
  const attach = async (personId: string, kind: 'external_id' | 'anonymous_id', value: string) => {
    const held = await countIdentities(tx, teamId, personId, kind);
    if (held < IDENTITY_LIMITS[kind]) {
      await addIdentity(ctx, tx, teamId, personId, kind, value, held);
      await touchPerson(tx, teamId, personId);
    }
  };
  if (byExternal && byAnonymous && byExternal !== byAnonymous) {
    // The user id was held as an anonymous id (captured before identify): it is the user's id from
    // now on, whatever happens to the other person — or a data-subject search by it, and the
    // shared-device check, would not know this person is identified.
    if (external && !hasExternal) await attach(byExternal, 'external_id', external);
    if (!options.merge) return { personId: byExternal, mergedFrom: null, created: false };
    if (!options.mergeIdentified && (await countIdentities(tx, teamId, byAnonymous, 'external_id')) > 0) {
      // The "anonymous" id belongs to someone already identified: two people, one device.
      return { personId: byExternal, mergedFrom: null, created: false };
    }
    const together = await identityCountsOf(tx, teamId, [byAnonymous, byExternal]);
    if (IDENTITY_KINDS.some((kind) => (together.get(kind) ?? 0) > IDENTITY_LIMITS[kind])) {
      // One person would hold too many ids: the two stay apart, the event is the identified one's.
      return { personId: byExternal, mergedFrom: null, created: false };
    }
    await mergePeople(ctx, tx, teamId, byAnonymous, byExternal, options.onMerge);
    return { personId: byExternal, mergedFrom: byAnonymous, created: false };
  }
  if (external && !byExternal && !options.mergeIdentified && (await countIdentities(tx, teamId, byAnonymous!, 'external_id')) > 0) {
    // A new user id on a device whose anonymous id is someone else's, already identified (a shared
    // device, no reset): a person of their own. The anonymous id stays with its holder.
    const [personId] = await addPeople(ctx, tx, teamId, [{ externalIds: [external], anonymousIds: [] }], () => '');
    return { personId: personId!, mergedFrom: null, created: true };
  }
  const personId = (byExternal ?? byAnonymous)!;
  if (external && !hasExternal) await attach(personId, 'external_id', external);
  if (anonymous && !byAnonymous) await attach(personId, 'anonymous_id', anonymous);
  return { personId, mergedFrom: null, created: false };
}
