/**
 * Builds before names were sealed kept a page's or screen's name (its title, which can name the
 * person) in the clear `name` column. This partial index finds those rows for sealClearPageNames
 * at start; once they are sealed it stays empty — new rows of those types have no clear name — so
 * the check costs one probe of an empty index.
 */
export const clearPageNamesSchema = {
    id: 'tracking/0003_clear_page_names',
    sql: `CREATE INDEX events_clear_names ON events (team_id, id) WHERE type <> 'track' AND name IS NOT NULL;`,
};
//# sourceMappingURL=0003_clear_page_names.js.map