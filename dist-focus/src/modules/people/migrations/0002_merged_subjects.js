import { tenantTable } from '../../../platform/db/tenant-table.js';
/**
 * When an anonymous person merges into an identified one, data sealed under the anonymous
 * person's subject key (their events) is not re-encrypted: the key now belongs to the merged
 * person. Erasing a person shreds every subject key listed here for them, and their own.
 */
export const mergedSubjectsSchema = {
    id: 'people/0002_merged_subjects',
    sql: `
    CREATE TABLE person_subjects (
      team_id uuid NOT NULL,
      person_id uuid NOT NULL,
      subject_id uuid NOT NULL,
      merged_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, subject_id),
      FOREIGN KEY (team_id, person_id) REFERENCES people (team_id, id) ON DELETE CASCADE
    );
    CREATE INDEX person_subjects_person ON person_subjects (team_id, person_id);
    ${tenantTable('person_subjects')}
  `,
};
//# sourceMappingURL=0002_merged_subjects.js.map