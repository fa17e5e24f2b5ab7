import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayWindow, isTimeZone } from './day-window.js';

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

describe('isTimeZone', () => {
  it('takes IANA names and refuses offsets, unknown names and anything else', () => {
    for (const ok of ['UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) assert.ok(isTimeZone(ok), ok);
    for (const bad of ['+01:00', 'Mars/Olympus', '', 'Europe/../UTC', "UTC'; --", 'europe paris']) assert.ok(!isTimeZone(bad), bad);
  });
});
