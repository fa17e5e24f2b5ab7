/**
 * Ingest looks up every id a group of events carries (who holds it, is it suppressed) in one
 * statement each. Those look-ups must probe the index once per id, whatever the size of the team:
 * a plan that reads the team's whole identity or suppression list costs every ingest a scan that
 * grows with the team. PGlite never gathers planner statistics on its own, and a plain join was
 * planned as exactly such a scan there. The statements ingest really sends are recorded and
 * explained here against a team of thousands of identities and suppressions.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { keyClient, signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
import { nodesReading, planOf, readOf, recording } from './support/plans.js';

describeEngines('identity look-ups probe the index', (haven) => {
  const { owner } = ownerSql(haven);

  it('finds holders and suppressions by one index probe per id, not by reading the team', async () => {
    const a = await signUp(haven().server);
    const w = await keyClient(haven().server, a.client, 'write');
    const visitors = Array.from({ length: 50 }, (_, i) => `lookup-visitor-${i}`);
    const batch = (tag: string) => ({ events: visitors.map((v) => ({ type: 'track', event: 'Viewed', anonymousId: v, messageId: `${tag}-${v}` })) });
    assert.equal((await w.client.post('/api/v1/events', batch('first'))).status, 200);

    // A big team: thousands of other identities and suppressions (their values are never looked for).
    const { rows } = await owner<{ person_id: string }>(`SELECT person_id FROM person_identities WHERE team_id = $1 LIMIT 1`, [a.teamId]);
    await owner(
      `INSERT INTO person_identities (team_id, id, person_id, kind, value_sealed, blind_index, position)
       SELECT $1, gen_random_uuid(), $2, 'anonymous_id', '\\x00', decode(md5($3 || g), 'hex'), g + 1 FROM generate_series(1, 5000) AS g`,
      [a.teamId, rows[0]!.person_id, randomUUID()],
    );
    await owner(
      `INSERT INTO suppressions (team_id, kind, identity_hash, reason, source)
       SELECT $1, 'anonymous_id', decode(md5($2 || g), 'hex'), 'unsubscribe', 'team' FROM generate_series(1, 5000) AS g`,
      [a.teamId, randomBytes(8).toString('hex')],
    );

    const sent = await recording(haven().engine, async () => {
      assert.equal((await w.client.post('/api/v1/events', batch('second'))).status, 200);
    });
    // The look-ups take the wanted kinds as a list and their indexes packed (packSameLength).
    const lookUpOf = (table: string) => sent.find((s) => new RegExp(`\\b${table}\\b`).test(s.text) && s.text.includes(`unnest(string_to_array($2, ',')) WITH ORDINALITY`));
    const lookups = [
      { table: 'person_identities', index: 'person_identities_lookup', statement: lookUpOf('person_identities') },
      { table: 'suppressions', index: 'suppressions_pkey', statement: lookUpOf('suppressions') },
    ];
    for (const { table, index, statement } of lookups) {
      assert.ok(statement, `ingest sent no look-up of ${table}`);
      const reads = nodesReading(await planOf(haven().engine, a.teamId, statement), table).map(readOf);
      assert.ok(reads.length > 0, `the plan does not read ${table}`);
      for (const read of reads) assert.match(read, new RegExp(`^Index (Only )?Scan using ${index}$`), `${table} is read by ${read}`);
    }
  });
});
