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

export async function privacySettings(tx: Tx, teamId: string): Promise<PrivacySettings> {
  const r = await tx.query<{ consent_required_for: string | null; event_retention_days: number | null; inactive_people_months: number | null; export_link_hours: number; updated_at: Date }>(
    `SELECT consent_required_for, event_retention_days, inactive_people_months, export_link_hours, updated_at FROM privacy_settings WHERE team_id = $1`,
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

/** Change some settings; returns the names of the fields that changed (for the audit log). */
export async function updatePrivacySettings(tx: Tx, teamId: string, patch: Partial<Omit<PrivacySettings, 'updatedAt'>>): Promise<{ settings: PrivacySettings; changed: string[] }> {
  const current = await privacySettings(tx, teamId);
  const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as PrivacySettings;
  const changed = (['consentRequiredFor', 'eventRetentionDays', 'inactivePeopleMonths', 'exportLinkHours'] as const).filter((k) => next[k] !== current[k]);
  await tx.query(
    `INSERT INTO privacy_settings (team_id, consent_required_for, event_retention_days, inactive_people_months, export_link_hours, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (team_id) DO UPDATE SET consent_required_for = $2, event_retention_days = $3, inactive_people_months = $4, export_link_hours = $5, updated_at = now()`,
    [teamId, next.consentRequiredFor, next.eventRetentionDays, next.inactivePeopleMonths, next.exportLinkHours],
  );
  return { settings: await privacySettings(tx, teamId), changed };
}
