import { tenantTable } from '../../../platform/db/tenant-table.js';
/**
 * Every personal field is AES-256-GCM ciphertext under the person's subject key (`*_sealed`);
 * what stays clear is ids, kinds, times and truncated blind indexes.
 */
export const peopleSchema = {
    id: 'people/0001_people',
    sql: `
    CREATE TABLE people (
      team_id uuid NOT NULL,
      id uuid NOT NULL,
      name_sealed bytea,
      company_sealed bytea,
      properties_sealed bytea,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, id)
    );
    CREATE INDEX people_by_created ON people (team_id, created_at, id);
    CREATE INDEX people_by_updated ON people (team_id, updated_at, id);
    ${tenantTable('people')}

    -- Emails, phones, external ids, anonymous ids. blind_index finds candidates; the sealed value
    -- confirms them. Not unique: a truncated index has deliberate coincidences.
    CREATE TABLE person_identities (
      team_id uuid NOT NULL,
      id uuid NOT NULL,
      person_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('email', 'phone', 'external_id', 'anonymous_id')),
      value_sealed bytea NOT NULL,
      blind_index bytea NOT NULL,
      -- Order within the person's list of this kind, as given (the first email is the primary one).
      position int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, id),
      FOREIGN KEY (team_id, person_id) REFERENCES people (team_id, id) ON DELETE CASCADE
    );
    CREATE INDEX person_identities_lookup ON person_identities (team_id, kind, blind_index);
    CREATE INDEX person_identities_person ON person_identities (team_id, person_id);
    ${tenantTable('person_identities')}

    CREATE TABLE person_name_tokens (
      team_id uuid NOT NULL,
      token bytea NOT NULL,
      person_id uuid NOT NULL,
      PRIMARY KEY (team_id, token, person_id),
      FOREIGN KEY (team_id, person_id) REFERENCES people (team_id, id) ON DELETE CASCADE
    );
    CREATE INDEX person_name_tokens_person ON person_name_tokens (team_id, person_id);
    ${tenantTable('person_name_tokens')}

    CREATE TABLE person_notes (
      team_id uuid NOT NULL,
      id uuid NOT NULL,
      person_id uuid NOT NULL,
      body_sealed bytea NOT NULL,
      author_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, id),
      FOREIGN KEY (team_id, person_id) REFERENCES people (team_id, id) ON DELETE CASCADE
    );
    CREATE INDEX person_notes_person ON person_notes (team_id, person_id, created_at);
    ${tenantTable('person_notes')}
  `,
};
//# sourceMappingURL=0001_people.js.map