import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ChangedMeanwhile, isTransient } from './transient-error.js';
it('deadlocks, serialization failures and ChangedMeanwhile are transient; other errors are not', () => {
    assert.equal(isTransient(Object.assign(new Error('deadlock detected'), { code: '40P01' })), true);
    assert.equal(isTransient(Object.assign(new Error('could not serialize'), { code: '40001' })), true);
    assert.equal(isTransient(new ChangedMeanwhile('people')), true);
    assert.equal(isTransient(Object.assign(new Error('duplicate key'), { code: '23505' })), false);
    assert.equal(isTransient(new Error('plain')), false);
    assert.equal(isTransient(null), false);
    assert.equal(isTransient('40P01'), false);
});
//# sourceMappingURL=transient-error.test.js.map