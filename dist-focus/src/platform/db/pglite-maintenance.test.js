import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LONGEST_DEFERRAL_MS, QUIET_MS, maintenanceDue } from './pglite-maintenance.js';
describe('PGlite maintenance: when a pass runs', () => {
    it('runs when the application has left the database alone for a second', () => {
        assert.equal(maintenanceDue(QUIET_MS, 0), true);
        assert.equal(maintenanceDue(Infinity, 0), true, 'an engine that does not report (PostgreSQL) is never busy');
    });
    it('is put off while requests come, but not for longer than an hour', () => {
        assert.equal(maintenanceDue(0, 0), false);
        assert.equal(maintenanceDue(QUIET_MS - 1, LONGEST_DEFERRAL_MS - 1), false);
        assert.equal(maintenanceDue(0, LONGEST_DEFERRAL_MS), true);
    });
});
//# sourceMappingURL=pglite-maintenance.test.js.map