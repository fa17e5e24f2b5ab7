import { tenantTable } from '../../../platform/db/tenant-table.js';
/**
 * The privacy centre's records. None holds personal data in clear:
 * - privacy_requests: every access export, erasure and objection, with its status and receipt
 *   (counts, times, actor ids). They are the team's proof that a duty was done, so they outlive
 *   the person (ids only).
 * - suppressions: the objection list, keyed by a full-length HMAC of the identity (never the
 *   value). The team may add to it but not remove: the app role has no UPDATE/DELETE; only the
 *   person (through their unsubscribe link) or an operator can lift a suppression.
 * - consents: purpose and lawful basis in clear (needed to gate ingest), where the consent came
 *   from sealed under the person's key.
 * - privacy_settings: consent requirement and retention policy of the team.
 */
export const privacySchema = {
    id: 'privacy/0001_privacy',
    sql: `
    CREATE TABLE privacy_requests (
      team_id uuid NOT NULL,
      id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('export', 'erasure', 'objection')),
      status text NOT NULL CHECK (status IN ('ready', 'downloaded', 'expired', 'shredded', 'completed', 'failed')),
      person_id uuid,
      format text CHECK (format IN ('json', 'zip')),
      requested_by_type text NOT NULL,
      requested_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      completed_at timestamptz,
      receipt jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (team_id, id)
    );
    CREATE INDEX privacy_requests_by_time ON privacy_requests (team_id, created_at DESC, id DESC);
    CREATE INDEX privacy_requests_by_person ON privacy_requests (team_id, person_id);
    ${tenantTable('privacy_requests', 'SELECT, INSERT, UPDATE')}

    CREATE TABLE suppressions (
      team_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('email', 'phone', 'external_id', 'anonymous_id')),
      identity_hash bytea NOT NULL,
      reason text NOT NULL CHECK (reason IN ('unsubscribe', 'objection', 'erasure')),
      source text NOT NULL CHECK (source IN ('link', 'team', 'operator')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, kind, identity_hash)
    );
    ${tenantTable('suppressions', 'SELECT, INSERT')}

    CREATE TABLE consents (
      team_id uuid NOT NULL,
      id uuid NOT NULL,
      person_id uuid NOT NULL,
      purpose text NOT NULL,
      lawful_basis text NOT NULL CHECK (lawful_basis IN ('consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests')),
      source_sealed bytea NOT NULL,
      given_at timestamptz NOT NULL,
      withdrawn_at timestamptz,
      recorded_by uuid,
      PRIMARY KEY (team_id, id),
      FOREIGN KEY (team_id, person_id) REFERENCES people (team_id, id) ON DELETE CASCADE
    );
    CREATE INDEX consents_person ON consents (team_id, person_id, purpose);
    ${tenantTable('consents', 'SELECT, INSERT, UPDATE')}

    CREATE TABLE privacy_settings (
      team_id uuid PRIMARY KEY,
      consent_required_for text,
      event_retention_days int CHECK (event_retention_days BETWEEN 1 AND 36500),
      inactive_people_months int CHECK (inactive_people_months BETWEEN 1 AND 1200),
      export_link_hours int NOT NULL DEFAULT 24 CHECK (export_link_hours BETWEEN 1 AND 168),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    ${tenantTable('privacy_settings', 'SELECT, INSERT, UPDATE')}
  `,
};
//# sourceMappingURL=0001_privacy.js.map