import type { Tx } from '../../platform/db/engine.js';

/** A team's privacy policy: consent required before tracking, retention, export link lifetime. */
export interface PrivacySettings {
  /** When set, ingest stores events only for people with an active consent for this purpose. */
  consentRequiredFor: string | null;
  /** Delete events older than this many days. */
  eventRetentionDays: number | null;
  /** Erase people with no activity and no change for this many months. */
  inactivePeopleMonths: number | null;
  /** How long an export's download link stays valid. */
  exportLinkHours: number;
  updatedAt: string | null;
}

const DEFAULTS: PrivacySettings = { consentRequiredFor: null, eventRetentionDays: null, inactivePeopleMonths: null, exportLinkHours: 24, updatedAt: null };

type SettingsRow = { consent_required_for: string | null; event_retention_days: number | null; inactive_people_months: number | null; export_link_hours: number; updated_at: Date };

async function readSettings(tx: Tx, teamId: string, lock: boolean): Promise<PrivacySettings> {
  const r = await tx.query<SettingsRow>(
    `SELECT consent_required_for, event_retention_days, inactive_people_months, export_link_hours, updated_at FROM privacy_settings WHERE team_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [teamId],
  );
  const row = r.rows[0];
  if (!row) return { ...DEFAULTS };
  return {
    consentRequiredFor: row.consent_required_for,
    eventRetentionDays: row.event_retention_days,
    inactivePeopleMonths: row.inactive_people_months,
    exportLinkHours: row.export_link_hours,
    updatedAt: row.updated_at.toISOString(),
  };
}

export function privacySettings(tx: Tx, teamId: string): Promise<PrivacySettings> {
  return readSettings(tx, teamId, false);
}

/**
 * Change some settings; returns the names of the fields that changed (for the audit log). The
 * team's row is made if missing and locked before it is read, so concurrent changes apply one
 * after the other, each to what the one before left: none puts back a field another just changed.
 */
export async function updatePrivacySettings(tx: Tx, teamId: string, patch: Partial<Omit<PrivacySettings, 'updatedAt'>>): Promise<{ settings: PrivacySettings; changed: string[] }> {
  await tx.query(`INSERT INTO privacy_settings (team_id) VALUES ($1) ON CONFLICT (team_id) DO NOTHING`, [teamId]);
  const current = await readSettings(tx, teamId, true);
  const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as PrivacySettings;
  const changed = (['consentRequiredFor', 'eventRetentionDays', 'inactivePeopleMonths', 'exportLinkHours'] as const).filter((k) => next[k] !== current[k]);
  await tx.query(
    `UPDATE privacy_settings SET consent_required_for = $2, event_retention_days = $3, inactive_people_months = $4, export_link_hours = $5, updated_at = now()
      WHERE team_id = $1`,
    [teamId, next.consentRequiredFor, next.eventRetentionDays, next.inactivePeopleMonths, next.exportLinkHours],
  );
  return { settings: await privacySettings(tx, teamId), changed };
}
