import { randomUUID } from 'node:crypto';
import { audit } from '../../platform/audit/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine, Tx } from '../../platform/db/engine.js';
import { withTeam } from '../../platform/db/with-team.js';
import { HavenError } from '../../platform/http/errors.js';
import { type IdentityKind, type PeopleService, normaliseIdentity } from '../people/index.js';
import { type EventResult, type IncomingEvent, checkEvent, payloadOf } from './event.js';
import { countFindings, describeReason, guardEvent, guardSettings } from './restricted-data-settings.js';

export const eventPayloadContext = (teamId: string, eventId: string) => ({ teamId, table: 'events', column: 'payload', rowId: eventId });

interface Pending {
  index: number;
  event: IncomingEvent;
  occurredAt: Date;
  messageHash: Buffer;
  external?: string | undefined;
  anonymous?: string | undefined;
  distinct?: string | undefined;
  personId?: string;
}

const key = (kind: IdentityKind, value: string) => `${kind}|${value}`;

/**
 * Store a batch of events for a team, in ONE transaction: when this returns, every accepted event
 * is committed (a caller acknowledges only after that); if it throws, none is.
 *
 * Each event is checked and passed through the restricted-data guard on its own (per-event
 * results). The rest works on the batch as a set, so a batch of 100 costs a handful of queries
 * rather than hundreds: one lookup of already-stored message ids, one lookup of every identity,
 * one insert creating every new visitor, one key fetch, one insert of every event. Only what is
 * inherently one-by-one — merging people on identify/alias, applying traits — goes event by
 * event, in order.
 */
export async function ingestEvents(
  engine: Engine,
  keyring: Keyring,
  people: PeopleService,
  teamId: string,
  events: readonly IncomingEvent[],
  requestId: string,
): Promise<EventResult[]> {
  const receivedAt = new Date();
  return withTeam(engine, teamId, async (tx) => {
    const results: EventResult[] = new Array(events.length);
    const guard = await guardSettings(tx, teamId);
    const stopped = new Map<string, number>();

    // 1. Checks and the restricted-data guard (I4), before anything touches a table.
    const pending: Pending[] = [];
    for (const [index, incoming] of events.entries()) {
      try {
        const checked = checkEvent(incoming, receivedAt);
        const guarded = guardEvent(incoming, guard);
        if (guarded.outcome !== 'clean') {
          for (const reason of new Set(guarded.findings.map((f) => f.reason))) {
            const k = `${guarded.outcome}|${reason}`;
            stopped.set(k, (stopped.get(k) ?? 0) + 1);
          }
        }
        if (guarded.outcome === 'rejected') {
          const first = guarded.findings[0]!;
          const message = `Refused: ${describeReason(first.reason, guard)} is restricted data this team does not collect.`;
          results[index] = { index, status: 'rejected', code: 'restricted_data', message, field: first.field };
          continue;
        }
        const e = guarded.event;
        pending.push({
          index,
          event: e,
          occurredAt: checked.occurredAt,
          messageHash: checked.messageHash,
          external: e.userId !== undefined ? normaliseIdentity('external_id', e.userId, 'userId') : undefined,
          anonymous: e.anonymousId !== undefined ? normaliseIdentity('anonymous_id', e.anonymousId, 'anonymousId') : undefined,
          distinct: e.distinctId !== undefined ? normaliseIdentity('external_id', e.distinctId, 'distinct_id') : undefined,
        });
      } catch (error) {
        if (!(error instanceof HavenError)) throw error;
        results[index] = { index, status: 'rejected', code: error.code, message: error.message, field: error.field };
      }
    }
    await countFindings(tx, teamId, stopped);
    if (pending.length === 0) return results;

    // 2. Idempotency: message ids stored before, or repeated within this batch.
    const stored = await tx.query<{ h: string; id: string; person_id: string }>(
      `SELECT encode(message_hash, 'hex') AS h, id, person_id FROM events WHERE team_id = $1 AND message_hash = ANY($2::bytea[])`,
      [teamId, pending.map((p) => p.messageHash)],
    );
    const before = new Map(stored.rows.map((r) => [r.h, r]));
    const firstInBatch = new Map<string, Pending>();
    const repeats: [Pending, Pending][] = [];
    const toStore: Pending[] = [];
    for (const p of pending) {
      const h = p.messageHash.toString('hex');
      const old = before.get(h);
      if (old) results[p.index] = { index: p.index, status: 'accepted', eventId: old.id, personId: old.person_id, duplicate: true };
      else if (firstInBatch.has(h)) repeats.push([p, firstInBatch.get(h)!]);
      else {
        firstInBatch.set(h, p);
        toStore.push(p);
      }
    }

    // 3. Who holds each id — locked first, so concurrent batches meeting the same new visitor queue.
    const wanted: { kind: IdentityKind; value: string }[] = [];
    for (const p of toStore) {
      // A user id may have been seen before as an anonymous (PostHog distinct) id: that is them.
      if (p.external) wanted.push({ kind: 'external_id', value: p.external }, { kind: 'anonymous_id', value: p.external });
      if (p.anonymous) wanted.push({ kind: 'anonymous_id', value: p.anonymous });
      if (p.distinct) wanted.push({ kind: 'external_id', value: p.distinct }, { kind: 'anonymous_id', value: p.distinct });
    }
    await people.lockIdentities(tx, teamId, [...new Set(wanted.map((w) => key(w.kind, w.value)))]);
    const holder = await people.findIdentities(tx, teamId, wanted);
    const idsOf = (p: Pending): string[] => [
      ...(p.external ? [key('external_id', p.external), key('anonymous_id', p.external)] : []),
      ...(p.anonymous ? [key('anonymous_id', p.anonymous)] : []),
      ...(p.distinct ? [key('external_id', p.distinct), key('anonymous_id', p.distinct)] : []),
    ];

    // 4. New visitors: every event none of whose ids is known yet becomes a person, in one go.
    //    (An id already claimed by another plan in this batch waits for step 5.)
    const plans: { externalIds: string[]; anonymousIds: string[]; keys: string[] }[] = [];
    const planned = new Set<string>();
    for (const p of toStore) {
      const ids = idsOf(p);
      if (ids.some((k) => holder.has(k) || planned.has(k))) {
        // Its other ids belong with the person step 5 finds or makes: no separate visitor for them.
        for (const k of ids) planned.add(k);
        continue;
      }
      const externalIds = p.external ? [p.external] : [];
      const anonymousIds = p.anonymous ? [p.anonymous] : p.distinct ? [p.distinct] : [];
      const keys = [...externalIds.map((v) => key('external_id', v)), ...anonymousIds.map((v) => key('anonymous_id', v))];
      for (const k of ids) planned.add(k);
      plans.push({ externalIds, anonymousIds, keys });
    }
    if (plans.length > 0) {
      const created = await people.importMany(tx, teamId, plans);
      plans.forEach((plan, i) => plan.keys.forEach((k) => holder.set(k, created[i]!)));
    }

    // 5. In order: merges (identify / alias with two people), ids to attach, traits.
    const mergedInto = new Map<string, string>();
    const current = (id: string) => {
      while (mergedInto.has(id)) id = mergedInto.get(id)!;
      return id;
    };
    for (const p of toStore) {
      const isMerge = p.event.type === 'identify' || p.event.type === 'alias';
      const byExternal = p.external ? (holder.get(key('external_id', p.external)) ?? holder.get(key('anonymous_id', p.external))) : undefined;
      const byAnonymous = p.anonymous ? holder.get(key('anonymous_id', p.anonymous)) : undefined;
      const byDistinct = p.distinct ? (holder.get(key('external_id', p.distinct)) ?? holder.get(key('anonymous_id', p.distinct))) : undefined;
      const found = [byExternal, byAnonymous, byDistinct].filter((x): x is string => x !== undefined).map(current);
      // Fast path only when every id is already held as what it is here (else resolve attaches it).
      const complete = (!p.external || holder.has(key('external_id', p.external))) && (!p.anonymous || byAnonymous) && (!p.distinct || byDistinct);
      let personId: string;
      if (complete && found.length > 0 && found.every((x) => x === found[0])) {
        personId = found[0]!;
      } else {
        const resolved = await people.resolve(
          tx,
          teamId,
          { externalId: p.external, anonymousId: p.anonymous, distinctId: p.distinct },
          {
            merge: isMerge,
            // identify never merges two identified people (a shared device); alias says to.
            mergeIdentified: p.event.type === 'alias',
            // The timeline is joined: the anonymous person's stored events become the identified person's.
            onMerge: async (from, into) => {
              await tx.query(`UPDATE events SET person_id = $3 WHERE team_id = $1 AND person_id = $2`, [teamId, from, into]);
            },
          },
        );
        personId = resolved.personId;
        if (resolved.mergedFrom) {
          mergedInto.set(resolved.mergedFrom, personId);
          await audit.record(tx, {
            teamId,
            actor: { type: 'system', id: null },
            action: 'person.merged',
            target: { type: 'person', id: personId },
            requestId,
            details: { mergedFrom: resolved.mergedFrom },
          });
        }
        // Later events of the batch find the person by the same ids without another lookup.
        if (p.external) holder.set(key('external_id', p.external), personId);
        if (p.anonymous) holder.set(key('anonymous_id', p.anonymous), personId);
        if (p.distinct) holder.set(holder.has(key('external_id', p.distinct)) ? key('external_id', p.distinct) : key('anonymous_id', p.distinct), personId);
      }
      // Traits on identify (Segment), or $set / $set_once on any event (PostHog).
      if (p.event.traits || p.event.traitsOnce) {
        await people.applyTraits(tx, teamId, current(personId), { set: p.event.traits ?? {}, setOnce: p.event.traitsOnce ?? {} });
      }
      p.personId = personId;
    }

    // 6. Seal every payload under its person's key and insert the batch in one statement.
    for (const p of toStore) p.personId = current(p.personId!);
    await insertEvents(tx, keyring, teamId, toStore, results);
    for (const [p, first] of repeats) {
      const r = results[first.index]!;
      results[p.index] = r.status === 'accepted' ? { ...r, index: p.index, duplicate: true } : { ...r, index: p.index };
    }
    return results;
  });
}

async function insertEvents(tx: Tx, keyring: Keyring, teamId: string, batch: Pending[], results: EventResult[]): Promise<void> {
  const keys = await keyring.subjectKeysFor(tx, teamId, batch.map((p) => p.personId!), { create: true });
  const ids = batch.map(() => randomUUID());
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO events (team_id, id, person_id, subject_id, type, name, occurred_at, message_hash, payload_sealed)
     SELECT $1, id, p, p, t, n, o, m, s FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::bytea[], $8::bytea[]) AS x(id, p, t, n, o, m, s)
     ON CONFLICT (team_id, message_hash) DO NOTHING RETURNING id`,
    [
      teamId,
      ids,
      batch.map((p) => p.personId!),
      batch.map((p) => p.event.type),
      batch.map((p) => p.event.name ?? null),
      batch.map((p) => p.occurredAt),
      batch.map((p) => p.messageHash),
      batch.map((p, i) => keyring.sealWith(keys.get(p.personId!)!, eventPayloadContext(teamId, ids[i]!), Buffer.from(JSON.stringify(payloadOf(p.event)), 'utf8'))),
    ],
  );
  const done = new Set(inserted.rows.map((r) => r.id));
  const raced: Pending[] = [];
  batch.forEach((p, i) => {
    if (done.has(ids[i]!)) results[p.index] = { index: p.index, status: 'accepted', eventId: ids[i]!, personId: p.personId!, duplicate: false };
    else raced.push(p);
  });
  if (raced.length === 0) return;
  // Stored by a concurrent delivery of the same message between our lookup and insert.
  const existing = await tx.query<{ h: string; id: string; person_id: string }>(
    `SELECT encode(message_hash, 'hex') AS h, id, person_id FROM events WHERE team_id = $1 AND message_hash = ANY($2::bytea[])`,
    [teamId, raced.map((p) => p.messageHash)],
  );
  const byHash = new Map(existing.rows.map((r) => [r.h, r]));
  for (const p of raced) {
    const r = byHash.get(p.messageHash.toString('hex'))!;
    results[p.index] = { index: p.index, status: 'accepted', eventId: r.id, personId: r.person_id, duplicate: true };
  }
}
