import { audit } from '../../platform/audit/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine, Tx } from '../../platform/db/engine.js';
import { retryTransient } from '../../platform/db/transient-error.js';
import { withTeam } from '../../platform/db/with-team.js';
import { HavenError } from '../../platform/http/errors.js';
import type { PeopleService } from '../people/index.js';
import { type EventResult, type IncomingEvent, checkEvent } from './event.js';
import { type CheckedEvent, type IngestRequest, type Item, itemsOf, settle, unsettled } from './ingest/batch.js';
import { GroupCommit } from './ingest/group-commit.js';
import { guardEvents } from './ingest/guard-events.js';
import { changesNoPerson, createNewVisitors, findHolders, resolvePeople } from './ingest/identify-people.js';
import { confirmVouchedConsent, dropObjectedAndUnconsented, refuseVouchedNewcomer } from './ingest/privacy-gate.js';
import { countFindings } from './restricted-data-settings.js';
import { settleStoredDuplicates, storeEvents } from './ingest/store-events.js';

export { eventPayloadContext } from './ingest/store-events.js';

/**
 * Store a batch of events for a team. When this returns, every accepted event is committed (a
 * caller acknowledges only after that); if it throws, none of this call's events is.
 *
 * Each event is checked and passed through the restricted-data guard on its own (per-event
 * results). Concurrent calls for the same team share one transaction (group commit, see
 * ingest/group-commit.ts), and the pipeline works on all their events as one set, so a
 * transaction costs a handful of statements whatever the number of events in it.
 */
export async function ingestEvents(
  engine: Engine,
  keyring: Keyring,
  people: PeopleService,
  teamId: string,
  events: readonly IncomingEvent[],
  requestId: string,
  sender: { viaWriteKey: boolean },
): Promise<EventResult[]> {
  const request = checkEvents(events, requestId, sender.viaWriteKey, new Date());
  if (request.checked.length === 0) return request.checkResults;
  return committerFor(engine, keyring, people).submit(teamId, request);
}

/** Shape, limits and time of every event: everything that needs no database, before any transaction. */
function checkEvents(events: readonly IncomingEvent[], requestId: string, viaWriteKey: boolean, receivedAt: Date): IngestRequest {
  const checkResults: EventResult[] = new Array(events.length);
  const checked: CheckedEvent[] = [];
  events.forEach((event, index) => {
    try {
      const { occurredAt, messageHash } = checkEvent(event, receivedAt);
      checked.push({ index, event, occurredAt, messageHash });
    } catch (error) {
      if (!(error instanceof HavenError)) throw error;
      checkResults[index] = { index, status: 'rejected', code: error.code, message: error.message, field: error.field };
    }
  });
  return { requestId, viaWriteKey, checkResults, checked };
}

/**
 * The pipeline of one transaction, step by step. Each step passes settled items by (refused,
 * duplicates); whatever is still unsettled at the end has been stored. `concurrent`: other
 * transactions may run beside this one (PostgreSQL). On PGlite each runs alone, and the locks
 * and second looks that order concurrent transactions are skipped.
 */
async function runPipeline(tx: Tx, keyring: Keyring, people: PeopleService, teamId: string, items: Item[], concurrent: boolean): Promise<void> {
  // 1. The restricted-data guard (I4): refuse or redact; what was stopped is counted at the end.
  const stopped = await guardEvents(tx, teamId, items);

  // 2. Repeats of a message within this transaction: only the first goes on; the rest share its answer.
  const firstOf = new Map<string, Item>();
  const repeats: [Item, Item][] = [];
  for (const item of unsettled(items)) {
    const h = item.messageHash.toString('hex');
    const first = firstOf.get(h);
    if (first) {
      repeats.push([item, first]);
      item.settled = true;
    } else firstOf.set(h, item);
  }

  // 3. Who holds each id the events carry (locked, then looked up).
  const holders = await findHolders(tx, people, teamId, unsettled(items), { concurrent });

  // 3b. Objections and consent (privacy): events of suppressed identities, and — when the team
  //     requires consent — of people without it, are dropped before anything is written for them.
  const vouched = await dropObjectedAndUnconsented(tx, keyring, teamId, items, holders, { concurrent });

  // 4. Messages stored by an earlier delivery. Events that change no person skip the look-up: the
  //    insert's unique index catches their repeats (step 7).
  const duplicates = await settleStoredDuplicates(
    tx,
    teamId,
    unsettled(items).filter((item) => !changesNoPerson(item, holders)),
  );

  // 5. New visitors, in one insert.  6. Merges, ids to attach and traits, in order.
  const toStore = unsettled(items);
  await createNewVisitors(tx, people, teamId, toStore, holders);
  const { changes, current } = await resolvePeople(tx, people, teamId, toStore, holders, {
    concurrent,
    refusesNewPerson: (item) => refuseVouchedNewcomer(vouched, item),
  });
  // A duplicate's person may just have merged into another: the answer names where it is now.
  for (const item of duplicates) {
    const r = item.results[item.index]!;
    if (r.status === 'accepted') item.results[item.index] = { ...r, personId: current(r.personId) };
  }
  // 6b. Events kept on the word of an identify beside them: their person must have the consent.
  await confirmVouchedConsent(tx, teamId, vouched);

  // 7. Seal and insert every event.
  await storeEvents(tx, keyring, people, teamId, toStore, { concurrent });

  // 8. Repeats answer as their first: the same event, a duplicate.
  for (const [item, first] of repeats) {
    const r = first.results[first.index]!;
    settle(item, r.status === 'accepted' ? { ...r, index: item.index, duplicate: true } : { ...r, index: item.index });
  }

  // 9. The guard's counts and the audit entries of the merges and profile changes, last: these
  // team-wide rows and the team's audit lock are then held only to commit, never while people and
  // events are locked for the insert.
  await countFindings(tx, teamId, stopped);
  await audit.recordMany(tx, teamId, changes);
}

/** Runs of a group's transaction at most, when it fails for a reason another run may not meet (retryTransient). */
const MAX_ATTEMPTS = 3;

/** Events per transaction at most: a bigger group waits for the next one. */
const MAX_GROUP_EVENTS = 2000;

type Committer = GroupCommit<IngestRequest, EventResult[]>;
const committers = new WeakMap<Engine, WeakMap<Keyring, Committer>>();

/**
 * One group committer per database and keyring. PGlite runs one transaction at a time on the
 * event loop's thread, so one group per team is in flight, and a group waits up to 10 ms for the
 * requests already received to be parsed and join it. PostgreSQL runs two per team (one being
 * prepared while the other commits) and waits at most 2 ms: requests arrive while groups run.
 */
function committerFor(engine: Engine, keyring: Keyring, people: PeopleService): Committer {
  let byKeyring = committers.get(engine);
  if (!byKeyring) committers.set(engine, (byKeyring = new WeakMap()));
  let committer = byKeyring.get(keyring);
  if (!committer) {
    const embedded = engine.kind === 'pglite';
    committer = new GroupCommit<IngestRequest, EventResult[]>({
      maxRunning: embedded ? 1 : 2,
      lingerMs: embedded ? 10 : 2,
      maxSize: MAX_GROUP_EVENTS,
      sizeOf: (request) => request.checked.length,
      run: async (teamId, requests) => {
        // A deadlock victim or a group whose people changed under it is run again from the start.
        return retryTransient(async () => {
          const { items, results } = itemsOf(requests);
          await withTeam(engine, teamId, (tx) => runPipeline(tx, keyring, people, teamId, items, !embedded));
          return results;
        }, MAX_ATTEMPTS);
      },
    });
    byKeyring.set(keyring, committer);
  }
  return committer;
}
