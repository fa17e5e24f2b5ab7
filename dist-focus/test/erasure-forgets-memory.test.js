import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { PeopleService } from '../src/modules/people/index.js';
import { openedIdentitiesOf } from '../src/modules/people/opened-identities.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { describeEngines } from './support/haven.js';
/**
 * Decrypted identity values are remembered per keyring, for every PeopleService of the process,
 * and blind indexes by value: an erasure through one instance (the privacy module's) must drop
 * what another (ingest's) holds, and the indexes keyed by the erased person's values.
 */
describeEngines('identities in memory after an erasure', (haven) => {
    it('an erasure through one PeopleService forgets the values another one decrypted', async () => {
        const { engine, keyring } = haven();
        const teamId = randomUUID();
        const ingest = new PeopleService(keyring);
        const privacy = new PeopleService(keyring);
        const email = `ada-${randomUUID()}@example.test`;
        const [personId] = await withTeam(engine, teamId, (tx) => ingest.importMany(tx, teamId, [{ emails: [email] }]));
        assert.equal(await withTeam(engine, teamId, (tx) => ingest.findIdentity(tx, teamId, 'email', email)), personId);
        const row = await withTeam(engine, teamId, async (tx) => (await tx.query(`SELECT id, value_sealed FROM person_identities WHERE team_id = $1`, [teamId])).rows[0]);
        const opened = openedIdentitiesOf(keyring);
        assert.equal(opened.valueOf(row.id, Buffer.from(row.value_sealed)), email, 'remembered after the look-up');
        // The blind indexes computed for the address are remembered too (keyed by the value).
        const memoHolds = () => keyring.blindIndexes.memo.holdsValue(teamId, email);
        assert.equal(memoHolds(), true, 'the index of the address is remembered');
        await withTeam(engine, teamId, (tx) => privacy.shred(tx, teamId, personId));
        assert.equal(opened.valueOf(row.id, Buffer.from(row.value_sealed)), undefined, 'forgotten at once for every instance');
        assert.equal(memoHolds(), false, 'no remembered index keyed by the erased address');
        assert.equal(await withTeam(engine, teamId, (tx) => ingest.findIdentity(tx, teamId, 'email', email)), undefined);
    });
    it('when other processes\' changes may have been missed (the listener dropped, or is back), every key, index and value is forgotten; meanwhile none is kept', async () => {
        const { engine, keyring } = haven();
        const teamId = randomUUID();
        const people = new PeopleService(keyring);
        const email = `grace-${randomUUID()}@example.test`;
        const [personId] = await withTeam(engine, teamId, (tx) => people.importMany(tx, teamId, [{ emails: [email] }]));
        const find = () => withTeam(engine, teamId, (tx) => people.findIdentity(tx, teamId, 'email', email));
        const row = await withTeam(engine, teamId, async (tx) => (await tx.query(`SELECT id, value_sealed FROM person_identities WHERE team_id = $1`, [teamId])).rows[0]);
        const opened = openedIdentitiesOf(keyring);
        const remembered = () => ({
            value: opened.valueOf(row.id, Buffer.from(row.value_sealed)) !== undefined,
            index: keyring.blindIndexes.memo.holdsValue(teamId, email),
            keys: keyring.cache.size > 0,
        });
        const live = engine.changes.live;
        assert.equal(live, true, 'the test starts with a live feed');
        assert.equal(await find(), personId);
        assert.deepEqual(remembered(), { value: true, index: true, keys: true });
        try {
            engine.changes.setLive(false); // the listener dropped: an erasure elsewhere may go unheard
            assert.deepEqual(remembered(), { value: false, index: false, keys: false }, 'everything forgotten');
            assert.equal(await find(), personId, 'look-ups still work');
            assert.deepEqual({ ...remembered(), keys: false }, { value: false, index: false, keys: false }, 'and keep no value or index meanwhile');
        }
        finally {
            engine.changes.setLive(true);
        }
        assert.equal(await find(), personId);
        assert.deepEqual(remembered(), { value: true, index: true, keys: true }, 'kept again once changes are heard');
    });
});
//# sourceMappingURL=erasure-forgets-memory.test.js.map