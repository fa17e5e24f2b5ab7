import { APP_ROLE } from './engine.js';
/**
 * The restricted role. Roles are cluster-wide on PostgreSQL, so several Haven databases on one
 * server share it; creation tolerates a concurrent creator.
 */
export const appRoleMigration = {
    id: 'platform/0001_app_role',
    sql: `
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$;
      DO $$
      BEGIN
        IF NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
          EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
        END IF;
      END $$;
      GRANT USAGE ON SCHEMA public TO ${APP_ROLE};
      -- The tenant scope of the current transaction, NULL when none is set: policies compare with
      -- it, so a forgotten scope matches no row rather than raising on an empty string.
      CREATE FUNCTION haven_team_id() RETURNS uuid LANGUAGE sql STABLE
        AS $f$ SELECT nullif(current_setting('app.team_id', true), '')::uuid $f$;
      CREATE FUNCTION haven_user_id() RETURNS uuid LANGUAGE sql STABLE
        AS $f$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $f$;
    `,
};
/** Apply every pending migration, each in its own transaction, as the schema owner. */
export async function migrate(engine, all) {
    const ids = new Set();
    for (const m of all) {
        if (ids.has(m.id))
            throw new Error(`duplicate migration id ${m.id}`);
        ids.add(m.id);
    }
    const pending = new Set(await pendingMigrations(engine, all));
    const applied = [];
    for (const m of all) {
        // An up-to-date database (every ordinary start) costs one query, not a transaction each.
        if (!pending.has(m.id))
            continue;
        const done = await engine.ownerTransaction(async (tx) => {
            // Serialises concurrent migrators (several app nodes starting at once) on PostgreSQL.
            await tx.query(`SELECT pg_advisory_xact_lock(7302202601)`);
            const seen = await tx.query(`SELECT 1 FROM haven_migrations WHERE id = $1`, [m.id]);
            if (seen.rowCount > 0)
                return false;
            for (const statement of splitStatements(m.sql))
                await tx.query(statement);
            await tx.query(`INSERT INTO haven_migrations (id) VALUES ($1)`, [m.id]);
            return true;
        });
        if (done)
            applied.push(m.id);
    }
    return applied;
}
export async function pendingMigrations(engine, all) {
    // Under the migration lock (one implicit transaction): two nodes starting on a fresh database
    // would otherwise race in CREATE TABLE IF NOT EXISTS and one fail on a duplicate catalogue row.
    await engine.ownerExec(`SELECT pg_advisory_xact_lock(7302202601); CREATE TABLE IF NOT EXISTS haven_migrations (
    id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const rows = await engine.ownerTransaction((tx) => tx.query(`SELECT id FROM haven_migrations`));
    const done = new Set(rows.rows.map((r) => r.id));
    return all.map((m) => m.id).filter((id) => !done.has(id));
}
/**
 * Split a migration into statements so each runs through the extended protocol inside one
 * transaction. Respects quotes, dollar-quoted bodies and comments.
 */
export function splitStatements(sql) {
    const out = [];
    let current = '';
    let i = 0;
    while (i < sql.length) {
        const ch = sql[i];
        const rest = sql.slice(i);
        if (rest.startsWith('--')) {
            const end = sql.indexOf('\n', i);
            i = end === -1 ? sql.length : end + 1;
            continue;
        }
        if (ch === "'") {
            let j = i + 1;
            while (j < sql.length) {
                if (sql[j] === "'" && sql[j + 1] === "'")
                    j += 2;
                else if (sql[j] === "'")
                    break;
                else
                    j++;
            }
            current += sql.slice(i, j + 1);
            i = j + 1;
            continue;
        }
        const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
        if (dollar) {
            const tag = dollar[0];
            const end = sql.indexOf(tag, i + tag.length);
            const stop = end === -1 ? sql.length : end + tag.length;
            current += sql.slice(i, stop);
            i = stop;
            continue;
        }
        if (ch === ';') {
            if (current.trim())
                out.push(current.trim());
            current = '';
            i++;
            continue;
        }
        current += ch;
        i++;
    }
    if (current.trim())
        out.push(current.trim());
    return out;
}
//# sourceMappingURL=migrations.js.map