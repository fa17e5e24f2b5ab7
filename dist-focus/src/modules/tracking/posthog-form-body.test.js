import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HavenError } from '../../platform/http/errors.js';
import { parsePostHogForm } from './posthog-form-body.js';
const form = (fields) => new URLSearchParams(fields).toString();
describe('PostHog form bodies (data=…)', () => {
    it('reads base64 JSON and plain JSON alike, UTF-8 intact', () => {
        const body = { api_key: 'k', batch: [{ event: 'Café ✓', distinct_id: 'd' }] };
        assert.deepEqual(parsePostHogForm(form({ data: Buffer.from(JSON.stringify(body)).toString('base64') }), undefined), body);
        assert.deepEqual(parsePostHogForm(form({ data: JSON.stringify(body) }), 'base64'), body);
    });
    it('refuses lz64 from the form or the query, before decoding anything', () => {
        for (const [fields, query] of [[{ data: 'N4XyA===', compression: 'lz64' }, undefined], [{ data: 'N4XyA===' }, 'lz64']]) {
            assert.throws(() => parsePostHogForm(form(fields), query), (e) => e.code === 'unsupported_compression' && e.status === 415);
        }
    });
    it('any body either parses or is refused with a 4xx HavenError (never another error)', () => {
        const anyData = fc.oneof(fc.string(), fc.base64String(), fc.json().map((j) => Buffer.from(j).toString('base64')), fc.json());
        fc.assert(fc.property(fc.oneof(fc.string(), anyData.map((data) => form({ data }))), fc.option(fc.constantFrom('base64', 'lz64', 'gzip-js'), { nil: undefined }), (body, query) => {
            try {
                parsePostHogForm(body, query);
            }
            catch (error) {
                assert.ok(error instanceof HavenError, String(error));
                assert.ok(error.status >= 400 && error.status < 500);
            }
        }), { numRuns: 2000 });
    });
});
//# sourceMappingURL=posthog-form-body.test.js.map