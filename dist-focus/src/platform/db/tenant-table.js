import { APP_ROLE } from './engine.js';
/**
 * SQL that makes a table a tenant table (I1): row-level security enabled and forced, one policy
 * comparing team_id with the transaction's scope, and the app role's grants. Every module's
 * migrations call this for each table keyed by team_id.
 */
export function tenantTable(table, grants = 'SELECT, INSERT, UPDATE, DELETE') {
    return `
    ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON ${table}
      USING (team_id = haven_team_id()) WITH CHECK (team_id = haven_team_id());
    GRANT ${grants} ON ${table} TO ${APP_ROLE};
  `;
}
/** Grants for a global (not per-team) table such as users or sessions. */
export function globalTable(table, grants = 'SELECT, INSERT, UPDATE, DELETE') {
    return `GRANT ${grants} ON ${table} TO ${APP_ROLE};`;
}
//# sourceMappingURL=tenant-table.js.map