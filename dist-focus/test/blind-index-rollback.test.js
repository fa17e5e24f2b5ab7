import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { masterKeyProvider } from '../src/app.js';
import { Keyring } from '../src/platform/crypto/keyring.js';
import { withTeam } from '../src/platform/db/with-team.js';
import { describeEngines } from './support/haven.js';
/**
 * A team's blind-index root is created by the first transaction that needs it. If that
 * transaction rolls back, no key derived from the discarded root may be remembered: indexes
 * written later must match what a fresh process (a restart) derives from the stored root.
 */
describeEngines('blind index root and rollback', (haven) => {
    it('a root created in a rolled-back transaction is not reused', async () => {
        const { engine, keyring } = haven();
        const teamId = randomUUID();
        await assert.rejects(withTeam(engine, teamId, async (tx) => {
            await keyring.blindIndexes.index(tx, teamId, 'person_identities.email', 'a@b.test', 15);
            throw new Error('roll back');
        }), /roll back/);
        const written = await withTeam(engine, teamId, (tx) => keyring.blindIndexes.index(tx, teamId, 'person_identities.email', 'a@b.test', 15));
        const restarted = await Keyring.open(engine, masterKeyProvider(haven().config));
        const found = await withTeam(engine, teamId, (tx) => restarted.blindIndexes.index(tx, teamId, 'person_identities.email', 'a@b.test', 15));
        assert.deepEqual(found, written);
        // Same for a field first used after the root was stored.
        const other = await withTeam(engine, teamId, (tx) => keyring.blindIndexes.index(tx, teamId, 'people.name', 'ad', 16));
        assert.deepEqual(await withTeam(engine, teamId, (tx) => restarted.blindIndexes.index(tx, teamId, 'people.name', 'ad', 16)), other);
    });
});
//# sourceMappingURL=blind-index-rollback.test.js.map