const DEFAULTS = { consentRequiredFor: null, eventRetentionDays: null, inactivePeopleMonths: null, exportLinkHours: 24, updatedAt: null };
async function readSettings(tx, teamId, lock) {
    const r = await tx.query(`SELECT consent_required_for, event_retention_days, inactive_people_months, export_link_hours, updated_at FROM privacy_settings WHERE team_id = $1${lock ? ' FOR UPDATE' : ''}`, [teamId]);
    const row = r.rows[0];
    if (!row)
        return { ...DEFAULTS };
    return {
        consentRequiredFor: row.consent_required_for,
        eventRetentionDays: row.event_retention_days,
        inactivePeopleMonths: row.inactive_people_months,
        exportLinkHours: row.export_link_hours,
        updatedAt: row.updated_at.toISOString(),
    };
}
export function privacySettings(tx, teamId) {
    return readSettings(tx, teamId, false);
}
/**
 * Change some settings; returns the names of the fields that changed (for the audit log). The
 * team's row is made if missing and locked before it is read, so concurrent changes apply one
 * after the other, each to what the one before left: none puts back a field another just changed.
 */
export async function updatePrivacySettings(tx, teamId, patch) {
    await tx.query(`INSERT INTO privacy_settings (team_id) VALUES ($1) ON CONFLICT (team_id) DO NOTHING`, [teamId]);
    const current = await readSettings(tx, teamId, true);
    const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    const changed = ['consentRequiredFor', 'eventRetentionDays', 'inactivePeopleMonths', 'exportLinkHours'].filter((k) => next[k] !== current[k]);
    await tx.query(`UPDATE privacy_settings SET consent_required_for = $2, event_retention_days = $3, inactive_people_months = $4, export_link_hours = $5, updated_at = now()
      WHERE team_id = $1`, [teamId, next.consentRequiredFor, next.eventRetentionDays, next.inactivePeopleMonths, next.exportLinkHours]);
    return { settings: await privacySettings(tx, teamId), changed };
}
//# sourceMappingURL=privacy-settings.js.map