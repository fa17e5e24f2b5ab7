import { NAME_FOLD_VERSION } from '../../platform/crypto/blind-index.js';
import { withTeam } from '../../platform/db/with-team.js';
import type { HavenContext } from '../../platform/module.js';
import { indexName, openText } from './sealed-fields.js';
import { openedIdentitiesOf } from './opened-identities.js';

const BATCH = 500;

/**
 * Index again, at start, the names of people indexed by an earlier foldName (`name_fold` behind
 * NAME_FOLD_VERSION): until then a search folded the new way would miss them. Team by team, in
 * batches of their own transactions, each person's name decrypted and its tokens replaced. A
 * person whose key is gone (erased meanwhile) keeps none. Nothing to do costs one probe of an
 * empty partial index.
 */
export async function reindexNames(ctx: Pick<HavenContext, 'engine' | 'keyring' | 'logger'>): Promise<number> {
  const { engine, keyring } = ctx;
  const people = { keyring, openedIdentities: openedIdentitiesOf(keyring) };
  const teams = await engine.ownerTransaction(
    async (tx) => (await tx.query<{ team_id: string }>(`SELECT DISTINCT team_id FROM people WHERE name_fold < $1`, [NAME_FOLD_VERSION])).rows,
  );
  let reindexed = 0;
  for (const { team_id: teamId } of teams) {
    for (;;) {
      const done = await withTeam(engine, teamId, async (tx) => {
        const rows = await tx.query<{ id: string; name_sealed: Buffer | null }>(
          `SELECT id, name_sealed FROM people WHERE team_id = $1 AND name_fold < $2 LIMIT $3 FOR NO KEY UPDATE`,
          [teamId, NAME_FOLD_VERSION, BATCH],
        );
        for (const row of rows.rows) {
          const name = await openText(people, tx, teamId, row.id, 'people', 'name_sealed', row.id, row.name_sealed);
          await indexName(people, tx, teamId, row.id, name);
        }
        await tx.query(`UPDATE people SET name_fold = $3 WHERE team_id = $1 AND id = ANY($2::uuid[])`, [teamId, rows.rows.map((r) => r.id), NAME_FOLD_VERSION]);
        return rows.rows.length;
      });
      reindexed += done;
      if (done < BATCH) break;
    }
  }
  if (reindexed > 0) ctx.logger.info({ people: reindexed }, 'indexed names again for search (letters such as ø, ł and ß now fold)');
  return reindexed;
}
