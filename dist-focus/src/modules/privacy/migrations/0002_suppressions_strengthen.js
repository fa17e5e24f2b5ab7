import { APP_ROLE } from '../../../platform/db/engine.js';
/**
 * An identity already listed for an unsubscribe that is then objected to (or erased with
 * `suppress`) is listed for that instead: an unsubscribe is the person's to undo from their link,
 * an objection is not, and keeping the first reason let the link undo the objection. The app role
 * may therefore update a row's reason — and a trigger lets an update do nothing else: from
 * `unsubscribe` to `objection` or `erasure`, same identity. It still cannot lift or weaken one.
 */
export const suppressionsStrengthen = {
    id: 'privacy/0002_suppressions_strengthen',
    sql: `
    CREATE FUNCTION suppressions_only_strengthen() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.identity_hash IS DISTINCT FROM NEW.identity_hash
         OR OLD.reason <> 'unsubscribe' OR NEW.reason NOT IN ('objection', 'erasure') THEN
        RAISE EXCEPTION 'a suppression can only be strengthened from an unsubscribe to an objection or an erasure' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $f$;
    CREATE TRIGGER suppressions_only_strengthen BEFORE UPDATE ON suppressions
      FOR EACH ROW EXECUTE FUNCTION suppressions_only_strengthen();
    GRANT UPDATE (reason, source, created_at) ON suppressions TO ${APP_ROLE};
  `,
};
//# sourceMappingURL=0002_suppressions_strengthen.js.map