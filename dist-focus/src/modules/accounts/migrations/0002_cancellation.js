/**
 * An owner's cancellation: the team is read-only from `cancelled_at` and deleted (verified purge,
 * certificate kept outside the team's data) at `deletion_due_at`, unless an owner undoes it first.
 */
export const cancellationSchema = {
    id: 'accounts/0002_cancellation',
    sql: `
    ALTER TABLE teams ADD COLUMN cancelled_at timestamptz;
    ALTER TABLE teams ADD COLUMN cancelled_by uuid;
    ALTER TABLE teams ADD COLUMN deletion_due_at timestamptz;
  `,
};
//# sourceMappingURL=0002_cancellation.js.map