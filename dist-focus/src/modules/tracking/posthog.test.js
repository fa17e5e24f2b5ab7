import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asPostHogRefusal, fromCaptureV1, fromPostHog, posthogField } from './posthog.js';
describe('posthogField: a refusal names the field the PostHog sender wrote', () => {
    const capture = { event: 'Pay', distinct_id: 'd', properties: { a: 1 } };
    const page = { event: '$pageview', distinct_id: 'd', properties: { $current_url: 'u', $referrer: 'r', $title: 't' } };
    it("renames Haven's reading of an event to PostHog's fields", () => {
        const cases = [
            [capture, 'messageId', 'uuid'],
            [capture, 'distinct_id', 'distinct_id'],
            [{ event: 'Pay', properties: { distinct_id: 'd' } }, 'distinct_id', 'properties.distinct_id'],
            [{ event: '$identify', distinct_id: 'd' }, 'userId', 'distinct_id'],
            [{ event: '$identify', distinct_id: 'd' }, 'anonymousId', 'properties.$anon_distinct_id'],
            [{ event: '$create_alias', distinct_id: 'd' }, 'previousId', 'properties.alias'],
            [{ event: 'Pay', $set: { plan: 'x' } }, 'traits.plan', '$set.plan'],
            [{ event: 'Pay', properties: { $set: { plan: 'x' } } }, 'traits.plan', 'properties.$set.plan'],
            [{ event: 'Pay', $set: null, properties: { $set: { plan: 'x' } } }, 'traits.plan', 'properties.$set.plan'],
            [{ event: 'Pay', $set_once: {} }, 'traitsOnce', '$set_once'],
            [page, 'properties.url', 'properties.$current_url'],
            [page, 'properties.referrer', 'properties.$referrer'],
            [page, 'properties.title', 'properties.$title'],
            [page, 'event', 'properties.$title'],
            [page, 'name', 'properties.$title'],
            [{ ...page, properties: { title: 't' } }, 'event', 'properties.title'],
            [page, 'properties.urls', 'properties.urls'],
            [{ event: '$screen', properties: { $screen_name: 's' } }, 'name', 'properties.$screen_name'],
            [{ event: '$screen', properties: { $screen_name: 's' } }, 'properties.$screen_name', 'properties.$screen_name'],
            [capture, 'properties.url', 'properties.url'],
            [capture, 'event', 'event'],
            [capture, 'timestamp', 'timestamp'],
            ['not an event', 'messageId', 'uuid'],
        ];
        for (const [raw, field, expected] of cases)
            assert.equal(posthogField(raw, field), expected, `${JSON.stringify(raw)} ${field}`);
    });
    it('renames a message that starts with the field, and leaves other refusals as they are', () => {
        const identify = { event: '$identify', distinct_id: 'd' };
        assert.deepEqual(asPostHogRefusal(identify, { code: 'invalid_identity', message: 'anonymousId must be 1–200 characters.', field: 'anonymousId' }), {
            code: 'invalid_identity',
            message: 'properties.$anon_distinct_id must be 1–200 characters.',
            field: 'properties.$anon_distinct_id',
        });
        const other = { code: 'restricted_data', message: 'Refused: a payment card number is restricted data.', field: 'messageId' };
        assert.equal(asPostHogRefusal(capture, other).message, other.message);
        assert.equal(asPostHogRefusal(capture, other).field, 'uuid');
        const unnamed = { code: 'too_large', message: 'Too large.' };
        assert.equal(asPostHogRefusal(capture, unnamed), unnamed);
    });
});
describe('fromPostHog: screens', () => {
    it('$screen is a screen view named by $screen_name; a name that is not text, or only spaces, names nothing', () => {
        const screen = (name) => fromPostHog({ event: '$screen', distinct_id: 'd', properties: { $screen_name: name, tab: 2 } });
        assert.deepEqual([screen('Checkout').type, screen('Checkout').name, screen('Checkout').properties], ['screen', 'Checkout', { $screen_name: 'Checkout', tab: 2 }]);
        assert.equal(screen(7).name, '7');
        for (const nameless of ['  ', {}, undefined])
            assert.equal(screen(nameless).name, undefined, JSON.stringify(nameless));
    });
});
describe('fromPostHog: events Haven does not keep', () => {
    it('$groupidentify is refused as unsupported_event (a group is not a person), whatever its distinct id', () => {
        for (const distinct_id of ['$company_acme', 'user-1', undefined]) {
            const e = fromPostHog({ event: '$groupidentify', distinct_id, properties: { $group_type: 'company', $group_key: 'acme', $group_set: { name: 'Acme' } } });
            assert.deepEqual(e.refused && { code: e.refused.code, field: e.refused.field }, { code: 'unsupported_event', field: 'event' });
        }
        assert.equal(fromPostHog({ event: 'Joined group', distinct_id: 'u', properties: { $groups: { company: 'acme' } } }).refused, undefined, 'events that name a group are kept');
    });
});
describe('fromCaptureV1: a Capture V1 event reads as the v0 event it was made from', () => {
    const v1 = { event: 'Paid', uuid: 'u-1', distinct_id: 'd', timestamp: '2026-12-01T10:00:00.000Z', properties: { plan: 'pro', $set: { name: 'Ada' } } };
    const createdAt = '2026-12-01T10:00:05.000Z';
    it('session and window ids and the options go back among the properties; created_at corrects the clock', () => {
        const read = fromCaptureV1({ ...v1, session_id: 's', window_id: 'w', options: { process_person_profile: false, cookieless_mode: true, product_tour_id: 't' } }, createdAt);
        const asV0 = fromPostHog({ ...v1, properties: { ...v1.properties, $session_id: 's', $window_id: 'w', $process_person_profile: false, $cookieless_mode: true, $product_tour_id: 't' } });
        assert.deepEqual(read, { ...asV0, sentAt: createdAt });
        assert.deepEqual(read.traits, { name: 'Ada' });
    });
    it('disable_skew_correction takes the timestamp as sent; null options and ids are absent', () => {
        assert.equal(fromCaptureV1({ ...v1, options: { disable_skew_correction: true } }, createdAt).sentAt, undefined);
        assert.equal(fromCaptureV1({ ...v1, options: { disable_skew_correction: 'yes' } }, createdAt).sentAt, createdAt);
        assert.deepEqual(fromCaptureV1({ ...v1, options: null, session_id: null }, createdAt), { ...fromPostHog(v1), sentAt: createdAt });
    });
    it('options that are not an object, or an event that is not one, are refused; bad properties as v0 refuses them', () => {
        const refusal = (e) => {
            const read = fromCaptureV1(e, createdAt);
            return [read.refused?.code, read.refused?.field];
        };
        assert.deepEqual(refusal({ ...v1, options: [] }), ['invalid_type', 'options']);
        assert.deepEqual(refusal('Paid'), ['invalid_type', undefined]);
        assert.deepEqual(refusal({ ...v1, session_id: 's', properties: 'x' }), ['invalid_type', 'properties']);
    });
});
//# sourceMappingURL=posthog.test.js.map