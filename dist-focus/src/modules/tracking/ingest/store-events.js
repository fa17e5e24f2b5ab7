import { randomUUID } from 'node:crypto';
import { packBytea } from '../../../platform/db/packed-bytea.js';
import { ChangedMeanwhile } from '../../../platform/db/transient-error.js';
import { clearNameOf, payloadOf } from '../event.js';
import { refuse, settle, unsettled } from './batch.js';
export const eventPayloadContext = (teamId, eventId) => ({ teamId, table: 'events', column: 'payload', rowId: eventId });
const HASH_BYTES = 32;
/** Events already stored under these message hashes (hex), with their ids and people. */
async function storedEvents(tx, teamId, hashes) {
    if (hashes.length === 0)
        return new Map();
    const r = await tx.query(`SELECT encode(message_hash, 'hex') AS h, id, person_id FROM events
      WHERE team_id = $1 AND message_hash = ANY(ARRAY(SELECT substring($2::bytea FROM i * ${HASH_BYTES} + 1 FOR ${HASH_BYTES}) FROM generate_series(0, $3 - 1) AS i))`, [teamId, Buffer.concat(hashes), hashes.length]);
    return new Map(r.rows.map((row) => [row.h, row]));
}
const duplicateOf = (item, stored) => settle(item, { index: item.index, status: 'accepted', eventId: stored.id, personId: stored.person_id, duplicate: true });
/**
 * Answer the items whose message was stored by an earlier delivery: the first one's event, marked
 * duplicate. Returns the items answered (their person may yet merge into another in this transaction).
 */
export async function settleStoredDuplicates(tx, teamId, items) {
    const stored = await storedEvents(tx, teamId, items.map((item) => item.messageHash));
    if (stored.size === 0)
        return [];
    return items.filter((item) => {
        const old = stored.get(item.messageHash.toString('hex'));
        if (old)
            duplicateOf(item, old);
        return old !== undefined;
    });
}
/**
 * Seal every payload under its person's subject key and insert them all in one statement, the
 * bytea columns packed into one parameter each. A message stored meanwhile by a concurrent
 * delivery (or by an earlier one, for events that skipped the look-up) is refused by the unique
 * index and answered as the duplicate it is.
 */
export async function storeEvents(tx, keyring, people, teamId, candidates, options) {
    const toStore = unsettled(candidates);
    if (toStore.length === 0)
        return;
    // The people are held (FOR KEY SHARE) before their keys are fetched. An erasure that committed
    // since they were found leaves no key to seal with: their events are refused, never sealed
    // under a new key. A person merged away meanwhile means the ids must be resolved again.
    // Only where transactions run side by side: on an engine that runs one at a time (PGlite)
    // nothing commits between the look-up and here, and every person was found through identities
    // this transaction sees (an erasure deletes them with the keys, a merge moves them), created
    // here, or locked by resolvePeople; the hold would find nothing.
    if (options.concurrent) {
        const { erased, gone } = await people.holdForEvents(tx, teamId, toStore.map((item) => item.personId));
        if (gone.size > 0)
            throw new ChangedMeanwhile('people');
        for (const item of toStore) {
            if (erased.has(item.personId))
                refuse(item, 'person_erased', 'This person was erased while the event arrived; the event was not stored.');
        }
    }
    // Every person has had a key since they were made (addPeople): none is made here. A key that is
    // missing was shredded, and the event is the erased person's.
    const keys = await keyring.subjectKeysFor(tx, teamId, unsettled(toStore).map((item) => item.personId), { create: false });
    for (const item of unsettled(toStore)) {
        if (!keys.has(item.personId))
            refuse(item, 'person_erased', 'This person was erased while the event arrived; the event was not stored.');
    }
    const items = unsettled(toStore);
    if (items.length === 0)
        return;
    const ids = items.map(() => randomUUID());
    const payloads = packBytea(items.map((item, i) => keyring.sealWith(keys.get(item.personId), eventPayloadContext(teamId, ids[i]), Buffer.from(JSON.stringify(payloadOf(item.event)), 'utf8'))));
    // uuids, types and times have no character that needs quoting: joined by commas and split in SQL,
    // rather than escaped element by element into array literals.
    const inserted = await tx.query(`INSERT INTO events (team_id, id, person_id, subject_id, type, name, occurred_at, message_hash, payload_sealed)
     SELECT $1, id, p, p, t, n, o, substring($7::bytea FROM (i - 1)::int * ${HASH_BYTES} + 1 FOR ${HASH_BYTES}), substring($8::bytea FROM so + 1 FOR sl)
       FROM unnest(string_to_array($2, ',')::uuid[], string_to_array($3, ',')::uuid[], string_to_array($4, ','), $5::text[], string_to_array($6, ',')::timestamptz[], $9::int[], $10::int[])
            WITH ORDINALITY AS x(id, p, t, n, o, so, sl, i)
     ON CONFLICT (team_id, message_hash) DO NOTHING`, [
        teamId,
        ids.join(','),
        items.map((item) => item.personId).join(','),
        items.map((item) => item.event.type).join(','),
        items.map((item) => clearNameOf(item.event)),
        items.map((item) => item.occurredAt.toISOString()).join(','),
        Buffer.concat(items.map((item) => item.messageHash)),
        payloads.bytes,
        payloads.offsets,
        payloads.lengths,
    ]);
    const stored = (id, item) => settle(item, { index: item.index, status: 'accepted', eventId: id, personId: item.personId, duplicate: false });
    if (inserted.rowCount === items.length) {
        items.forEach((item, i) => stored(ids[i], item));
        return;
    }
    // Some messages were stored already (by a concurrent delivery, or by an earlier one for events
    // that skipped the look-up): the row under each hash says which.
    const byHash = await storedEvents(tx, teamId, items.map((item) => item.messageHash));
    items.forEach((item, i) => {
        const row = byHash.get(item.messageHash.toString('hex'));
        if (row.id === ids[i])
            stored(ids[i], item);
        else
            duplicateOf(item, row);
    });
}
//# sourceMappingURL=store-events.js.map