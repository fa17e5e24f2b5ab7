/**
 * A type filter on a person's timeline (the activity API's `type`, pages viewed) is checked inside
 * the timeline index, whose last column is the type: a person with many events of other types
 * costs no read of those rows. The statements the API really sends are recorded and explained
 * against a person with thousands of events. This team is one person, whose events the planner
 * would rather read whole; in a team of many it takes the index, so the index plan is asked for.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
import { nodesReading, planOf, readOf, recording } from './support/plans.js';

describeEngines('the timeline reads a type filter from its index', (haven) => {
  const { owner } = ownerSql(haven);

  it('passes over events of other types without reading their rows', async () => {
    const a = await signUp(haven().server);
    const w = await keyClient(haven().server, a.client, 'write');
    const reader = await keyClient(haven().server, a.client, 'secret', 'read');
    assert.equal((await w.client.post('/api/v1/events', { events: [{ type: 'page', anonymousId: 'busy-visitor', properties: { url: 'https://shop.example/' } }] })).status, 200);
    const { rows } = await owner<{ person_id: string; subject_id: string }>(`SELECT person_id, subject_id FROM events WHERE team_id = $1`, [a.teamId]);
    const { person_id: personId, subject_id: subjectId } = rows[0]!;
    // Thousands of other events of that person (only planned, never read).
    await owner(
      `INSERT INTO events (team_id, id, person_id, subject_id, type, name, occurred_at, message_hash, payload_sealed)
       SELECT $1, gen_random_uuid(), $2, $3, 'track', 'Clicked', now() - g * interval '1 second', decode(md5($4 || g), 'hex'), '\\x00'
         FROM generate_series(1, 5000) AS g`,
      [a.teamId, personId, subjectId, personId],
    );
    // The statistics autovacuum (PostgreSQL) or the upkeep job (PGlite) gathers: most of this
    // person's events are of one type.
    await owner(`ANALYZE events`);

    const sent = await recording(haven().engine, async () => {
      assert.equal((await reader.client.get(`/api/v1/people/${personId}/activity?type=page&type=screen`)).status, 200);
      assert.equal((await reader.client.get(`/api/v1/people/${personId}/pages`)).status, 200);
    });
    const timelineReads = sent.filter((s) => /FROM events\s+WHERE team_id = \$1 AND person_id = \$2/.test(s.text));
    assert.equal(timelineReads.length, 2, 'the activity and pages statements were not found');
    for (const statement of timelineReads) {
      const reads = nodesReading(await planOf(haven().engine, a.teamId, statement, { seqScan: false }), 'events');
      assert.equal(reads.length, 1);
      assert.match(readOf(reads[0]!), /^Index (Only )?Scan using events_person_time_type$/);
      assert.match(reads[0]!['Index Cond'] ?? '', /\btype\b/, `the type is checked after reading each row: ${statement.text}`);
    }
  });
});
