import { tenantTable } from '../../../platform/db/tenant-table.js';
/**
 * The restricted-data guard's team settings (mode and detectors — rules, not personal data) and
 * what it stopped, counted per day and reason. A refused value itself is never stored anywhere.
 */
export const restrictedDataSchema = {
    id: 'tracking/0002_restricted_data',
    sql: `
    CREATE TABLE tracking_settings (
      team_id uuid PRIMARY KEY,
      restricted_mode text NOT NULL DEFAULT 'reject' CHECK (restricted_mode IN ('reject', 'redact')),
      detectors jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    ${tenantTable('tracking_settings', 'SELECT, INSERT, UPDATE')}
    CREATE TABLE restricted_data_counts (
      team_id uuid NOT NULL,
      day date NOT NULL,
      reason text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('rejected', 'redacted')),
      events int NOT NULL DEFAULT 0,
      PRIMARY KEY (team_id, day, reason, outcome)
    );
    ${tenantTable('restricted_data_counts', 'SELECT, INSERT, UPDATE')}
  `,
};
//# sourceMappingURL=0002_restricted_data.js.map