import { globalTable, tenantTable } from '../../../platform/db/tenant-table.js';
const roles = `'owner', 'admin', 'member', 'viewer'`;
export const accountsSchema = {
    id: 'accounts/0001_accounts',
    sql: `
    -- Global: a user may belong to several teams. These rows describe Haven's own users (the
    -- team's members), not the people a team keeps in its CRM.
    CREATE TABLE users (
      id uuid PRIMARY KEY,
      email text NOT NULL,
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT users_email_unique UNIQUE (email)
    );
    ${globalTable('users')}

    -- Only the SHA-256 of a session token is stored: a database copy opens no session.
    CREATE TABLE sessions (
      token_hash bytea PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      active_team_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id);
    ${globalTable('sessions')}

    -- Failed sign-ins per account and per client address, both as hashes; pruned as they age.
    CREATE TABLE sign_in_failures (
      subject bytea NOT NULL,
      failed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, failed_at);
    ${globalTable('sign_in_failures')}

    CREATE TABLE teams (
      team_id uuid PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    ${tenantTable('teams', 'SELECT, INSERT, UPDATE')}

    CREATE TABLE memberships (
      team_id uuid NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN (${roles})),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team_id, user_id)
    );
    ${tenantTable('memberships')}
    -- A signed-in user lists their own teams (and nothing else of them) through withUser().
    CREATE POLICY own_memberships ON memberships FOR SELECT USING (user_id = haven_user_id());
    CREATE POLICY teams_of_user ON teams FOR SELECT
      USING (team_id IN (SELECT m.team_id FROM memberships m WHERE m.user_id = haven_user_id()));

    CREATE TABLE invitations (
      team_id uuid NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
      id uuid NOT NULL,
      email text NOT NULL,
      role text NOT NULL CHECK (role IN (${roles})),
      token_hash bytea NOT NULL,
      invited_by uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      accepted_by uuid,
      revoked_at timestamptz,
      PRIMARY KEY (team_id, id),
      CONSTRAINT invitations_token_unique UNIQUE (team_id, token_hash)
    );
    ${tenantTable('invitations')}

    CREATE TABLE api_keys (
      team_id uuid NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
      id uuid NOT NULL,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('write', 'secret')),
      scope text NOT NULL CHECK (scope IN ('ingest', 'read', 'admin')),
      prefix text NOT NULL,
      token_hash bytea NOT NULL,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      PRIMARY KEY (team_id, id),
      CONSTRAINT api_keys_token_unique UNIQUE (team_id, token_hash),
      CHECK ((kind = 'write') = (scope = 'ingest'))
    );
    ${tenantTable('api_keys')}
  `,
};
//# sourceMappingURL=0001_accounts.js.map