/**
 * When a cancelled team's deletion job claimed it: from then on an undo is refused (it would
 * answer 200 while the keys are being shredded), and a second run of the job (the sweep, a
 * re-delivery) does not delete the team again alongside the first.
 */
export const deletionStartedSchema = {
    id: 'accounts/0005_deletion_started',
    sql: `ALTER TABLE teams ADD COLUMN deletion_started_at timestamptz;`,
};
//# sourceMappingURL=0005_deletion_started.js.map