import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { monthsBefore, retentionConflict } from './retention.js';
describe('retention', () => {
    it('counts calendar months back, never past the month’s last day', () => {
        const back = (iso, months) => monthsBefore(new Date(iso), months).toISOString();
        assert.equal(back('2026-03-31T10:00:00.000Z', 1), '2026-02-28T10:00:00.000Z');
        assert.equal(back('2028-03-31T10:00:00.000Z', 1), '2028-02-29T10:00:00.000Z');
        assert.equal(back('2026-05-31T00:00:00.000Z', 1), '2026-04-30T00:00:00.000Z');
        assert.equal(back('2026-01-15T08:30:00.000Z', 1), '2025-12-15T08:30:00.000Z');
        assert.equal(back('2026-12-06T00:00:00.000Z', 24), '2024-12-06T00:00:00.000Z');
        assert.equal(back('2026-08-31T00:00:00.000Z', 6), '2026-02-28T00:00:00.000Z');
    });
    it('refuses events kept for less than the inactivity window', () => {
        assert.equal(retentionConflict({ eventRetentionDays: null, inactivePeopleMonths: 12 }), null);
        assert.equal(retentionConflict({ eventRetentionDays: 30, inactivePeopleMonths: null }), null);
        assert.equal(retentionConflict({ eventRetentionDays: 372, inactivePeopleMonths: 12 }), null);
        assert.match(retentionConflict({ eventRetentionDays: 365, inactivePeopleMonths: 12 }), /372 days/);
    });
});
//# sourceMappingURL=retention.test.js.map