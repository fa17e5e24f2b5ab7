import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PeopleService } from '../src/modules/people/index.js';
import { signUp } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
/**
 * A note or a consent written for a person while an erasure of that person is committing: the
 * write must wait for the erasure and then be refused (404), never land under a subject key made
 * again after the shred — that key would outlive the erasure and open what was written.
 */
describeEngines('writing for a person while they are erased', (haven) => {
    const { count } = ownerSql(haven);
    it('a note and a consent sent during the erasure are refused, and no subject key comes back', async () => {
        const t = await signUp(haven().server, 'erasure-race');
        const created = await t.client.post('/api/v1/people', { name: 'Erin Erased', externalIds: ['erin-1'] });
        assert.equal(created.status, 201, created.raw.body);
        const id = created.body.id;
        assert.equal(await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1 AND subject_id = $2`, [t.teamId, id]), 1);
        let writes;
        await haven().engine.ownerTransaction(async (tx) => {
            // The erasure has locked the person, as erasures do, and is about to shred.
            await tx.query(`SELECT 1 FROM people WHERE team_id = $1 AND id = $2 FOR UPDATE`, [t.teamId, id]);
            writes = Promise.all([
                t.client.post(`/api/v1/people/${id}/notes`, { body: 'written during the erasure' }),
                t.client.post(`/api/v1/people/${id}/consents`, { purpose: 'newsletter', source: 'form during the erasure' }),
            ]);
            // On PostgreSQL the writes reach the person's row and wait on its lock: seen in pg_locks, so
            // the race is really run. (PGlite runs one transaction at a time: they wait for this one.)
            if (haven().engine.kind === 'postgres') {
                const until = Date.now() + 10_000;
                const waiting = async () => Number((await tx.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`)).rows[0].n);
                while ((await waiting()) < 2) {
                    assert.ok(Date.now() < until, 'the two writes never waited on the person');
                    await sleep(20);
                }
            }
            else {
                await sleep(100);
            }
            await new PeopleService(haven().keyring).shred(tx, t.teamId, id);
        });
        const statuses = (await writes).map((r) => r.status);
        assert.deepEqual(statuses, [404, 404]);
        for (const table of ['subject_keys', 'person_notes', 'consents']) {
            const column = table === 'subject_keys' ? 'subject_id' : 'person_id';
            assert.equal(await count(`SELECT count(*)::int AS n FROM ${table} WHERE team_id = $1 AND ${column} = $2`, [t.teamId, id]), 0, table);
        }
    });
});
//# sourceMappingURL=write-during-erasure.test.js.map