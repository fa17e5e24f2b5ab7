/**
 * Erasure happens in two steps (I3): the shred (subject keys, identities, name tokens, notes — one
 * short transaction) marks the person `erased_at`; a job then purges the rest (their events) in
 * batches and deletes the row. Until then the row is invisible: no read returns an erased person.
 */
export const erasureSchema = {
    id: 'people/0003_erasure',
    sql: `
    ALTER TABLE people ADD COLUMN erased_at timestamptz;
    CREATE INDEX people_erased ON people (team_id, erased_at) WHERE erased_at IS NOT NULL;
  `,
};
//# sourceMappingURL=0003_erasure.js.map