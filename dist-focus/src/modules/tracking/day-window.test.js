import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDayWindow, dayWindow, isTimeZone } from './day-window.js';
describe('dayWindow', () => {
    const now = Date.parse('2026-12-05T14:30:00Z');
    it('defaults to today and the 30 whole UTC days before it', () => {
        assert.deepEqual(dayWindow({}, now), { from: '2026-11-05T00:00:00.000Z', to: '2026-12-06T00:00:00.000Z' });
    });
    it('keeps the bounds it is given, and starts a missing from at a midnight', () => {
        assert.deepEqual(dayWindow({ from: '2026-12-01T08:00:00Z', to: '2026-12-02T08:00:00Z' }, now), {
            from: '2026-12-01T08:00:00Z',
            to: '2026-12-02T08:00:00Z',
        });
        assert.deepEqual(dayWindow({ to: '2026-12-02T08:00:00+02:00' }, now), { from: '2026-11-01T00:00:00.000Z', to: '2026-12-02T08:00:00+02:00' });
    });
});
describe('checkDayWindow', () => {
    const now = Date.parse('2026-12-05T14:30:00Z');
    const code = (q) => {
        try {
            checkDayWindow(q, now);
            return 'ok';
        }
        catch (e) {
            return `${e.code} ${e.field}`;
        }
    };
    it('refuses bounds given the wrong way round or more than 400 days apart, from the default end too', () => {
        assert.equal(code({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }), 'out_of_range query.to');
        assert.equal(code({ from: '2026-12-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }), 'out_of_range query.to');
        assert.equal(code({ from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }), 'out_of_range query.from');
        assert.equal(code({ from: '1000-01-01T00:00:00Z' }), 'out_of_range query.from');
        assert.equal(code({ from: '2025-12-01T00:00:00Z' }), 'ok');
        assert.equal(code({ from: '2026-12-09T00:00:00Z' }), 'ok', 'a from after the default end counts nothing, as before');
        assert.equal(code({ to: '1000-01-01T00:00:00Z' }), 'ok');
    });
});
describe('isTimeZone', () => {
    it('takes IANA names and refuses offsets, unknown names and anything else', () => {
        for (const ok of ['UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])
            assert.ok(isTimeZone(ok), ok);
        for (const bad of ['+01:00', 'Mars/Olympus', '', 'Europe/../UTC', "UTC'; --", 'europe paris', 'BST', 'IST', 'EST', 'GB'])
            assert.ok(!isTimeZone(bad), bad);
    });
});
//# sourceMappingURL=day-window.test.js.map