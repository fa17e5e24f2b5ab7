import type { Migration } from '../../../platform/db/migrations.js';

/**
 * Which foldName made a person's name tokens (NAME_FOLD_VERSION): rows from before are 1, new rows
 * 2. The partial index finds the people to index again (people/reindex-names); once none is left
 * it is empty, and the check at start costs one probe.
 */
export const nameFoldSchema: Migration = {
  id: 'people/0004_name_fold',
  sql: `
    ALTER TABLE people ADD COLUMN name_fold smallint NOT NULL DEFAULT 1;
    ALTER TABLE people ALTER COLUMN name_fold SET DEFAULT 2;
    CREATE INDEX people_name_fold_behind ON people (team_id) WHERE name_fold < 2;
  `,
};
