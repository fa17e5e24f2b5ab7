import { randomUUID } from 'node:crypto';
import { audit } from '../../platform/audit/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine, Tx } from '../../platform/db/engine.js';
import { withTeam } from '../../platform/db/with-team.js';
import { HavenError } from '../../platform/http/errors.js';
import type { PeopleService } from '../people/index.js';
import { type EventResult, type IncomingEvent, checkEvent, payloadOf } from './event.js';
import { countFindings, describeReason, guardEvent, guardSettings } from './restricted-data-settings.js';

export const eventPayloadContext = (teamId: string, eventId: string) => ({ teamId, table: 'events', column: 'payload', rowId: eventId });

/**
 * Store a batch of events for a team, in ONE transaction: when this returns, every accepted event
 * is committed (a caller acknowledges only after that); if it throws, none is. Each event is
 * checked first and refused on its own (per-event results), passed through the restricted-data
 * guard (refused or redacted per the team's mode, counted per reason), then resolved to a person
 * (created, or merged on identify/alias), deduplicated by messageId, and sealed under the
 * person's key.
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
    const guard = await guardSettings(tx, teamId);
    const stopped = new Map<string, number>();
    const results: EventResult[] = [];
    for (const [index, incoming] of events.entries()) {
      let checked: ReturnType<typeof checkEvent>;
      try {
        checked = checkEvent(incoming, receivedAt);
      } catch (error) {
        if (!(error instanceof HavenError)) throw error;
        results.push({ index, status: 'rejected', code: error.code, message: error.message, field: error.field });
        continue;
      }
      // I4: restricted data is refused (or redacted) before the event touches any table.
      const guarded = guardEvent(incoming, guard);
      if (guarded.outcome !== 'clean') {
        for (const reason of new Set(guarded.findings.map((f) => f.reason))) {
          const key = `${guarded.outcome}|${reason}`;
          stopped.set(key, (stopped.get(key) ?? 0) + 1);
        }
      }
      if (guarded.outcome === 'rejected') {
        const first = guarded.findings[0]!;
        results.push({
          index,
          status: 'rejected',
          code: 'restricted_data',
          message: `Refused: ${describeReason(first.reason, guard)} is restricted data this team does not collect.`,
          field: first.field,
        });
        continue;
      }
      results.push(await storeEvent(tx, keyring, people, teamId, index, guarded.event, checked, requestId));
    }
    await countFindings(tx, teamId, stopped);
    return results;
  });
}

async function storeEvent(
  tx: Tx,
  keyring: Keyring,
  people: PeopleService,
  teamId: string,
  index: number,
  event: IncomingEvent,
  checked: ReturnType<typeof checkEvent>,
  requestId: string,
): Promise<EventResult> {
  const seen = await tx.query<{ id: string; person_id: string }>(`SELECT id, person_id FROM events WHERE team_id = $1 AND message_hash = $2`, [
    teamId,
    checked.messageHash,
  ]);
  if (seen.rows[0]) return { index, status: 'accepted', eventId: seen.rows[0].id, personId: seen.rows[0].person_id, duplicate: true };

  const merge = event.type === 'identify' || event.type === 'alias';
  const { personId, mergedFrom } = await people.resolve(
    tx,
    teamId,
    { externalId: event.userId, anonymousId: event.anonymousId, distinctId: event.distinctId },
    {
      merge,
      // The timeline is joined: the anonymous person's events become the identified person's.
      onMerge: async (from, into) => {
        await tx.query(`UPDATE events SET person_id = $3 WHERE team_id = $1 AND person_id = $2`, [teamId, from, into]);
      },
    },
  );
  if (mergedFrom) {
    await audit.record(tx, {
      teamId,
      actor: { type: 'system', id: null },
      action: 'person.merged',
      target: { type: 'person', id: personId },
      requestId,
      details: { mergedFrom },
    });
  }
  // Traits on identify (Segment), or $set / $set_once on any event (PostHog).
  if (event.traits || event.traitsOnce) {
    await people.applyTraits(tx, teamId, personId, { set: event.traits ?? {}, setOnce: event.traitsOnce ?? {} });
  }
  const id = randomUUID();
  const sealed = await keyring.sealForSubject(tx, personId, eventPayloadContext(teamId, id), Buffer.from(JSON.stringify(payloadOf(event)), 'utf8'));
  const inserted = await tx.query(
    `INSERT INTO events (team_id, id, person_id, subject_id, type, name, occurred_at, message_hash, payload_sealed)
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8) ON CONFLICT (team_id, message_hash) DO NOTHING`,
    [teamId, id, personId, event.type, event.name ?? null, checked.occurredAt, checked.messageHash, sealed],
  );
  if (inserted.rowCount === 0) {
    const again = await tx.query<{ id: string; person_id: string }>(`SELECT id, person_id FROM events WHERE team_id = $1 AND message_hash = $2`, [
      teamId,
      checked.messageHash,
    ]);
    return { index, status: 'accepted', eventId: again.rows[0]!.id, personId: again.rows[0]!.person_id, duplicate: true };
  }
  return { index, status: 'accepted', eventId: id, personId, duplicate: false };
}
