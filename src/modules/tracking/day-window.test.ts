import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTimeZone } from './day-window.js';

describe('isTimeZone', () => {
  it('takes IANA names and refuses offsets, unknown names and anything else', () => {
    for (const ok of ['UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) assert.ok(isTimeZone(ok), ok);
    for (const bad of ['+01:00', 'Mars/Olympus', '', 'Europe/../UTC', "UTC'; --", 'europe paris', 'BST', 'IST', 'EST', 'GB']) assert.ok(!isTimeZone(bad), bad);
  });
});
