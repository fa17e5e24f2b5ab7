import { randomUUID } from 'node:crypto';
import type { Keyring } from '../../../platform/crypto/keyring.js';
import type { Tx } from '../../../platform/db/engine.js';
import { packBytea } from '../../../platform/db/packed-bytea.js';
import { payloadOf } from '../event.js';
import { type Item, settle } from './batch.js';

export const eventPayloadContext = (teamId: string, eventId: string) => ({ teamId, table: 'events', column: 'payload', rowId: eventId });

const HASH_BYTES = 32;

/** Events already stored under these message hashes (hex), with their ids and people. */
async function storedEvents(tx: Tx, teamId: string, hashes: readonly Buffer[]): Promise<Map<string, { id: string; person_id: string }>> {
  if (hashes.length === 0) return new Map();
  const r = await tx.query<{ h: string; id: string; person_id: string }>(
    `SELECT encode(message_hash, 'hex') AS h, id, person_id FROM events
      WHERE team_id = $1 AND message_hash = ANY(ARRAY(SELECT substring($2::bytea FROM i * ${HASH_BYTES} + 1 FOR ${HASH_BYTES}) FROM generate_series(0, $3 - 1) AS i))`,
    [teamId, Buffer.concat(hashes as Buffer[]), hashes.length],
  );
  return new Map(r.rows.map((row) => [row.h, row]));
}

const duplicateOf = (item: Item, stored: { id: string; person_id: string }) =>
  settle(item, { index: item.index, status: 'accepted', eventId: stored.id, personId: stored.person_id, duplicate: true });

/** Answer the items whose message was stored by an earlier delivery: the first one's event, marked duplicate. */
export async function settleStoredDuplicates(tx: Tx, teamId: string, items: readonly Item[]): Promise<void> {
  const stored = await storedEvents(
    tx,
    teamId,
    items.map((item) => item.messageHash),
  );
  if (stored.size === 0) return;
  for (const item of items) {
    const old = stored.get(item.messageHash.toString('hex'));
    if (old) duplicateOf(item, old);
  }
}

/**
 * Seal every payload under its person's subject key and insert them all in one statement, the
 * bytea columns packed into one parameter each. A message stored meanwhile by a concurrent
 * delivery (or by an earlier one, for events that skipped the look-up) is refused by the unique
 * index and answered as the duplicate it is.
 */
export async function storeEvents(tx: Tx, keyring: Keyring, teamId: string, items: readonly Item[]): Promise<void> {
  if (items.length === 0) return;
  const keys = await keyring.subjectKeysFor(
    tx,
    teamId,
    items.map((item) => item.personId!),
    { create: true },
  );
  const ids = items.map(() => randomUUID());
  const payloads = packBytea(
    items.map((item, i) => keyring.sealWith(keys.get(item.personId!)!, eventPayloadContext(teamId, ids[i]!), Buffer.from(JSON.stringify(payloadOf(item.event)), 'utf8'))),
  );
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO events (team_id, id, person_id, subject_id, type, name, occurred_at, message_hash, payload_sealed)
     SELECT $1, id, p, p, t, n, o, substring($7::bytea FROM (i - 1)::int * ${HASH_BYTES} + 1 FOR ${HASH_BYTES}), substring($8::bytea FROM so + 1 FOR sl)
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $9::int[], $10::int[]) WITH ORDINALITY AS x(id, p, t, n, o, so, sl, i)
     ON CONFLICT (team_id, message_hash) DO NOTHING RETURNING id`,
    [
      teamId,
      ids,
      items.map((item) => item.personId!),
      items.map((item) => item.event.type),
      items.map((item) => item.event.name ?? null),
      items.map((item) => item.occurredAt),
      Buffer.concat(items.map((item) => item.messageHash)),
      payloads.bytes,
      payloads.offsets,
      payloads.lengths,
    ],
  );
  const done = new Set(inserted.rows.map((r) => r.id));
  const refused: Item[] = [];
  items.forEach((item, i) => {
    if (done.has(ids[i]!)) settle(item, { index: item.index, status: 'accepted', eventId: ids[i]!, personId: item.personId!, duplicate: false });
    else refused.push(item);
  });
  if (refused.length === 0) return;
  const stored = await storedEvents(
    tx,
    teamId,
    refused.map((item) => item.messageHash),
  );
  for (const item of refused) duplicateOf(item, stored.get(item.messageHash.toString('hex'))!);
}
