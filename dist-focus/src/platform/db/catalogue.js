/** The table comment that exempts a table from team deletion (see TableInfo.outlivesTeam). */
export const OUTLIVES_TEAM = 'haven:outlives-team';
/**
 * Every ordinary and partitioned table of the public schema (partitions are reached through
 * their parent). Ordered parents first: children of a table come after it.
 */
export async function listTables(tx) {
    const tables = await tx.query(`SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`);
    const columns = await tx.query(`SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable, a.attgenerated <> '' AS generated
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`);
    const fks = await tx.query(`SELECT DISTINCT t.relname AS table, p.relname AS parent
       FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
      WHERE k.contype = 'f' AND t.relnamespace = 'public'::regnamespace AND t.oid <> p.oid`);
    const infos = tables.rows.map((t) => ({
        name: t.name,
        columns: columns.rows.filter((c) => c.table === t.name).map(({ name, type, nullable, generated }) => ({ name, type, nullable, generated })),
        parents: fks.rows.filter((f) => f.table === t.name).map((f) => f.parent),
        outlivesTeam: (t.comment ?? '').startsWith(OUTLIVES_TEAM),
    }));
    return parentsFirst(infos);
}
/** Topological order over foreign keys; a cycle (none today) keeps the remaining tables' name order. */
export function parentsFirst(tables) {
    const byName = new Map(tables.map((t) => [t.name, t]));
    const placed = new Set();
    const out = [];
    const visit = (t, path) => {
        if (placed.has(t.name) || path.has(t.name))
            return;
        path.add(t.name);
        for (const p of t.parents) {
            const parent = byName.get(p);
            if (parent)
                visit(parent, path);
        }
        path.delete(t.name);
        placed.add(t.name);
        out.push(t);
    };
    for (const t of tables)
        visit(t, new Set());
    return out;
}
/** Double-quoted identifier, for names read from the catalogue. */
export function quoteIdent(name) {
    return `"${name.replace(/"/g, '""')}"`;
}
//# sourceMappingURL=catalogue.js.map