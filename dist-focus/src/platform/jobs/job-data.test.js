import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkJobData, failureSummary } from './job-data.js';
describe('checkJobData', () => {
    it('accepts ids, flags, numbers, ISO strings, lists of them and absent fields', () => {
        const data = { teamId: '6f1c2a9e-3b8d-4c1e-9f0a-2d7b5e8c4a11', personIds: ['a', 'b'], dryRun: false, attempt: 2, before: '2026-01-01T00:00:00.000Z', note: null, skipped: undefined };
        assert.doesNotThrow(() => checkJobData('x', data));
    });
    it('refuses records, Dates, lists of objects and non-objects, naming the field but not the value', () => {
        const email = 'someone@example.test';
        for (const [data, pattern] of [
            [{ person: { email } }, /data\.person must be an id/],
            [{ at: new Date() }, /a Date \(send an ISO string\)/],
            [{ people: [{ email }] }, /a list of objects/],
            [{ n: Number.NaN }, /data\.n/],
            [[email], /plain object/],
            [null, /plain object/],
            [new Map([['email', email]]), /plain object/],
        ]) {
            assert.throws(() => checkJobData('privacy.purge-person', data), (error) => error instanceof TypeError && pattern.test(error.message) && !error.message.includes(email));
        }
    });
});
describe('failureSummary', () => {
    it('keeps the error type, code and message, not the stack or other properties', () => {
        const error = Object.assign(new RangeError('team key missing'), { code: 'key_missing', detail: 'Failing row contains (someone@example.test)' });
        assert.deepEqual(failureSummary(error), { type: 'RangeError', code: 'key_missing', message: 'team key missing' });
        assert.deepEqual(failureSummary('a string'), { type: 'string', message: 'a non-Error value was thrown' });
    });
});
//# sourceMappingURL=job-data.test.js.map