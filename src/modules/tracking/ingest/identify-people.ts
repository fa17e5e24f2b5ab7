import type { AuditEvent } from '../../../platform/audit/index.js';
import type { Tx } from '../../../platform/db/engine.js';
import type { IdentityKind, PeopleService } from '../../people/index.js';
import { ChangedMeanwhile } from '../../../platform/db/transient-error.js';
import { type Item, identityKey as key, refuse, unsettled } from './batch.js';

/** Who holds each id (`kind|value` → person id); grows as the steps create and attach. */
export type Holders = Map<string, string>;

/**
 * Every id an event may be known by: a user id may have been seen before as an anonymous (PostHog
 * distinct) id, and an alias's previous id may be an earlier user id. The suppression check at
 * ingest reads the same list: an id that can lead to a person can carry their objection.
 */
export function wantedIds(item: Item): { kind: IdentityKind; value: string }[] {
  const wanted: { kind: IdentityKind; value: string }[] = [];
  if (item.external) wanted.push({ kind: 'external_id', value: item.external }, { kind: 'anonymous_id', value: item.external });
  if (item.anonymous) wanted.push({ kind: 'anonymous_id', value: item.anonymous });
  if (item.anonymous && item.event.type === 'alias') wanted.push({ kind: 'external_id', value: item.anonymous });
  if (item.distinct) wanted.push({ kind: 'external_id', value: item.distinct }, { kind: 'anonymous_id', value: item.distinct });
  return wanted;
}

/**
 * Find who holds each id the items carry. Most events come from visitors already known and change
 * nobody: their ids are looked up without a lock. (Such an event's person is held `FOR KEY SHARE`
 * before it is stored; a merge or erasure that got there first is seen then, see storeEvents.)
 * The ids an event may claim, attach or move — one not held yet, or any id of an event that is
 * not plain — are locked, sorted, so concurrent transactions meeting the same new visitor queue
 * in one order and never deadlock, and then looked up again: another transaction may have
 * claimed one between the first look-up and the lock. Where transactions cannot overlap
 * (`concurrent` false: PGlite) nobody can claim one meanwhile, and the first look-up stands.
 */
export async function findHolders(tx: Tx, people: PeopleService, teamId: string, items: readonly Item[], options: { concurrent: boolean }): Promise<Holders> {
  // A visitor's events usually come several to a batch: each id is looked up once.
  const wanted = new Map<string, { kind: IdentityKind; value: string }>();
  for (const item of items) for (const w of wantedIds(item)) wanted.set(key(w.kind, w.value), w);
  const holders = await people.findIdentities(tx, teamId, [...wanted.values()]);
  const claimed = new Map<string, { kind: IdentityKind; value: string }>();
  for (const item of items) {
    if (!changesNoPerson(item, holders)) for (const w of wantedIds(item)) claimed.set(key(w.kind, w.value), w);
  }
  if (claimed.size === 0 || !options.concurrent) return holders;
  await people.lockIdentities(tx, teamId, [...claimed.keys()]);
  const now = await people.findIdentities(tx, teamId, [...claimed.values()]);
  for (const k of claimed.keys()) {
    const holder = now.get(k);
    if (holder === undefined) holders.delete(k);
    else holders.set(k, holder);
  }
  return holders;
}

/** The people an item's ids point to, and whether every id is already held as what it is here. */
function heldBy(item: Item, holders: Holders) {
  const byExternal = item.external ? (holders.get(key('external_id', item.external)) ?? holders.get(key('anonymous_id', item.external))) : undefined;
  const byAnonymous = item.anonymous
    ? (holders.get(key('anonymous_id', item.anonymous)) ?? (item.event.type === 'alias' ? holders.get(key('external_id', item.anonymous)) : undefined))
    : undefined;
  const byDistinct = item.distinct ? (holders.get(key('external_id', item.distinct)) ?? holders.get(key('anonymous_id', item.distinct))) : undefined;
  const complete =
    (!item.external || holders.has(key('external_id', item.external))) && (!item.anonymous || byAnonymous !== undefined) && (!item.distinct || byDistinct !== undefined);
  return { found: [byExternal, byAnonymous, byDistinct].filter((x): x is string => x !== undefined), complete };
}

/** Whether an event sets or removes profile traits (`$set`, `$set_once`, `$unset`, identify's traits). */
export const changesTraits = (item: Item): boolean => !!(item.event.traits || item.event.traitsOnce || item.event.traitsUnset);

/**
 * An event that changes no person: every id already held, all by one person, no traits. Such an
 * event needs no look-up of earlier deliveries before it is written: the unique index on its
 * message hash refuses a repeat at insert. (Holders only grow and merges only join people, so an
 * event plain now is still plain when `resolvePeople` reaches it.)
 */
export function changesNoPerson(item: Item, holders: Holders): boolean {
  if (changesTraits(item)) return false;
  const { found, complete } = heldBy(item, holders);
  return complete && found.length > 0 && found.every((x) => x === found[0]);
}

function idsOf(item: Item): string[] {
  return wantedIds(item).map((w) => key(w.kind, w.value));
}

/**
 * New visitors: every event none of whose ids is known yet becomes a person, in one insert. (An
 * id already claimed by another event here waits for `resolvePeople`: no separate visitor for it.)
 */
export async function createNewVisitors(tx: Tx, people: PeopleService, teamId: string, items: readonly Item[], holders: Holders): Promise<void> {
  const plans: { externalIds: string[]; anonymousIds: string[]; keys: string[] }[] = [];
  const planned = new Set<string>();
  for (const item of items) {
    const ids = idsOf(item);
    if (ids.some((k) => holders.has(k) || planned.has(k))) {
      for (const k of ids) planned.add(k);
      continue;
    }
    const externalIds = item.external ? [item.external] : [];
    const anonymousIds = item.anonymous ? [item.anonymous] : item.distinct ? [item.distinct] : [];
    const keys = [...externalIds.map((v) => key('external_id', v)), ...anonymousIds.map((v) => key('anonymous_id', v))];
    for (const k of ids) planned.add(k);
    plans.push({ externalIds, anonymousIds, keys });
  }
  if (plans.length === 0) return;
  const created = await people.importMany(tx, teamId, plans);
  plans.forEach((plan, i) => plan.keys.forEach((k) => holders.set(k, created[i]!)));
}

/** Changes ingest makes (merges, traits) are the system's, on the team's write key's say. */
const INGEST_ACTOR: AuditEvent['actor'] = { type: 'system', id: null };

/**
 * In order: merges (identify / alias joining two people), ids to attach, traits. Sets each item's
 * person — the one it ends up with after every merge of the transaction. Returns the audit entries
 * for the merges and profile changes, in order, for the pipeline to record as its last step, and
 * where each person merged away went (`current`: a person's id after every merge).
 */
export async function resolvePeople(
  tx: Tx,
  people: PeopleService,
  teamId: string,
  items: readonly Item[],
  holders: Holders,
  options: {
    concurrent: boolean;
    /** Asked before an event makes a new person: true when it refused the event instead. */
    refusesNewPerson?: (item: Item) => boolean;
  },
): Promise<{ changes: AuditEvent[]; current: (personId: string) => string }> {
  const mergedInto = new Map<string, string>();
  const changes: AuditEvent[] = [];
  const current = (id: string) => {
    while (mergedInto.has(id)) id = mergedInto.get(id)!;
    return id;
  };
  // Every known person this step may change — traits, a merge, or an id to attach (a known user on
  // a new device) — locked at once in id order, so two transactions changing the same people queue
  // instead of deadlocking (lock-people.ts), and an erasure that committed since the look-up is
  // seen before anything is sealed for them. Where transactions cannot overlap (PGlite) there is
  // nobody to queue behind, and nothing to see.
  if (options.concurrent) {
    const changing = items.filter((item) => !changesNoPerson(item, holders)).map((item) => ({ item, held: heldBy(item, holders).found }));
    // An identify or alias whose ids two people hold may merge them.
    const merging = changing.some(({ item, held }) => (item.event.type === 'identify' || item.event.type === 'alias') && new Set(held).size > 1);
    const { erased, gone } = await people.lockForChange(
      tx,
      teamId,
      changing.flatMap((c) => c.held),
      { merging },
    );
    // The people were found before the lock: one merged away meanwhile means the ids must be
    // resolved again; one erased meanwhile takes no traits and no merge (as storeEvents refuses
    // events of people erased meanwhile).
    if (gone.size > 0) throw new ChangedMeanwhile('people');
    for (const { item, held } of changing) {
      if (held.some((id) => erased.has(id))) refuse(item, 'person_erased', 'This person was erased while the event arrived; the event was not stored.');
    }
  }
  for (const item of unsettled(items)) {
    const { found: held, complete } = heldBy(item, holders);
    const found = held.map(current);
    let personId: string;
    if (complete && found.length > 0 && found.every((x) => x === found[0])) {
      personId = found[0]!;
    } else {
      if (found.length === 0 && options.refusesNewPerson?.(item)) continue;
      const resolved = await people.resolve(
        tx,
        teamId,
        { externalId: item.external, anonymousId: item.anonymous, distinctId: item.distinct },
        {
          merge: item.event.type === 'identify' || item.event.type === 'alias',
          previousMayBeUser: item.event.type === 'alias',
          // identify never merges two identified people (a shared device); an alias does when the
          // team sent it. Sent with the public write key — anyone may hold it, and user ids are
          // often guessable — it would let a stranger join someone's profile to their own.
          mergeIdentified: item.event.type === 'alias' && !item.viaWriteKey,
          // The timeline is joined: the anonymous person's stored events become the identified person's.
          onMerge: async (from, into) => {
            await tx.query(`UPDATE events SET person_id = $3 WHERE team_id = $1 AND person_id = $2`, [teamId, from, into]);
          },
        },
      );
      personId = resolved.personId;
      if (resolved.mergedFrom) {
        mergedInto.set(resolved.mergedFrom, personId);
        changes.push({ teamId, actor: INGEST_ACTOR, action: 'person.merged', target: { type: 'person', id: personId }, requestId: item.requestId, details: { mergedFrom: resolved.mergedFrom } });
      }
      // Later events find the person by the same ids without another lookup. An anonymous id held
      // already stays where it was (or follows its holder's merge, see `current`): on a shared
      // device a new user does not take it.
      if (item.external) holders.set(key('external_id', item.external), personId);
      // An alias's previous id that is someone's user id is not this person's to take either.
      const previousIsUser = item.event.type === 'alias' && item.anonymous !== undefined && holders.has(key('external_id', item.anonymous));
      if (item.anonymous && !previousIsUser && !holders.has(key('anonymous_id', item.anonymous))) holders.set(key('anonymous_id', item.anonymous), personId);
      if (item.distinct) holders.set(holders.has(key('external_id', item.distinct)) ? key('external_id', item.distinct) : key('anonymous_id', item.distinct), personId);
    }
    // Traits on identify (Segment), or $set / $set_once on any event (PostHog).
    if (changesTraits(item)) {
      const target = current(personId);
      const e = item.event;
      const fields = await people.applyTraits(tx, teamId, target, { set: e.traits ?? {}, setOnce: e.traitsOnce ?? {}, unset: e.traitsUnset ?? [] });
      // Every change to a person is audited, as a rectification through the API is: field names only.
      if (fields.length > 0) {
        changes.push({ teamId, actor: INGEST_ACTOR, action: 'person.updated', target: { type: 'person', id: target }, requestId: item.requestId, details: { via: 'ingest', fields } });
      }
    }
    item.personId = personId;
  }
  for (const item of unsettled(items)) item.personId = current(item.personId!);
  return { changes, current };
}
