/** What kinds of personal data the team holds, as counts (for the record of processing). */
export async function countPersonalData(tx, teamId) {
    const p = await tx.query(`SELECT count(*)::int AS people, count(name_sealed)::int AS names, count(company_sealed)::int AS companies, count(properties_sealed)::int AS properties
       FROM people WHERE team_id = $1 AND erased_at IS NULL`, [teamId]);
    const i = await tx.query(`SELECT kind, count(*)::int AS n FROM person_identities WHERE team_id = $1 GROUP BY kind`, [teamId]);
    const n = await tx.query(`SELECT count(*)::int AS n FROM person_notes WHERE team_id = $1`, [teamId]);
    return { ...p.rows[0], notes: n.rows[0].n, identities: Object.fromEntries(i.rows.map((x) => [x.kind, x.n])) };
}
//# sourceMappingURL=count-personal-data.js.map