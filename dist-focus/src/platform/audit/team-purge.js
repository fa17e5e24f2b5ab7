/**
 * The audit log stays append-only for everyone, with one exception: deleting a whole team
 * (account lifecycle) removes that team's chain. A DELETE passes the trigger only when
 *  - the transaction marked itself as purging exactly that team (`haven.purge_team`, set
 *    transaction-locally by deleteTeamData), and
 *  - it runs as the tables' owner (or a superuser). The app role `haven_app` — what every request
 *    runs as — is not a member of the owner, and has no DELETE grant on the table anyway, so
 *    setting the mark itself gets it nowhere.
 * UPDATE and TRUNCATE stay refused for everyone: nobody can quietly edit the log.
 */
export const auditTeamPurgeSchema = {
    id: 'platform/0005_audit_team_purge',
    sql: `
    CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF TG_OP = 'DELETE'
         AND current_setting('haven.purge_team', true) = OLD.team_id::text
         AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $f$;
  `,
};
//# sourceMappingURL=team-purge.js.map