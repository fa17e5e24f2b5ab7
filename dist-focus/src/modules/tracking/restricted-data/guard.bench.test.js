import assert from 'node:assert/strict';
import { it } from 'node:test';
import { compileDetectors, scan } from './index.js';
/** A typical web event: ~30 string fields, ~2 KB of JSON, nothing restricted. */
function typicalEvent(i) {
    return {
        event: 'Product Viewed',
        properties: {
            product_id: `sku-${100_000 + i}`,
            name: 'Organic cotton T-shirt, heather grey',
            category: 'Apparel / Tops',
            brand: 'Northwind',
            variant: 'M',
            price: 24.99,
            currency: 'EUR',
            quantity: 1,
            coupon: 'SPRING-2024',
            position: 3,
            url: `https://shop.example/products/organic-cotton-t-shirt?variant=${40_000_000_000 + i}&utm_source=newsletter`,
            image_url: 'https://cdn.shop.example/images/products/tshirt-heather-grey-800x800.jpg',
            order_id: `ORD-2024-${String(i).padStart(6, '0')}`,
            description: 'Soft, breathable and made to last. Ships within 2–3 business days; free returns within 30 days.',
        },
        context: {
            page: {
                url: `https://shop.example/products/organic-cotton-t-shirt?variant=${40_000_000_000 + i}`,
                path: '/products/organic-cotton-t-shirt',
                referrer: 'https://www.search.example/search?q=organic+cotton+t+shirt&hl=en&source=hp',
                title: 'Organic cotton T-shirt – Northwind',
                search: `?variant=${40_000_000_000 + i}`,
            },
            userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
            locale: 'en-GB',
            timezone: 'Europe/London',
            screen: { width: 1512, height: 982, density: 2 },
            library: { name: 'analytics.js', version: '5.2.0' },
            campaign: { name: 'spring-sale', source: 'newsletter', medium: 'email', term: 'cotton', content: 'hero-banner' },
            device: { id: `9f1c2e7a-4b3d-4c5e-8f6a-${String(i).padStart(12, '0')}`, type: 'desktop' },
        },
        messageId: `ajs-next-${1_700_000_000_000 + i}-0b8d0e3c`,
        anonymousId: `6c3f8a2e-1d4b-4e5f-9a8b-${String(i).padStart(12, '0')}`,
        timestamp: '2024-04-15T10:30:00.000Z',
        sentAt: '2024-04-15T10:30:00.120Z',
    };
}
function measure(label, detectors) {
    // As ingest sees them: parsed from JSON (flat strings, not the concatenations the literals above build).
    const events = Array.from({ length: 1000 }, (_, i) => JSON.parse(JSON.stringify(typicalEvent(i))));
    for (let r = 0; r < 5; r++)
        for (const e of events)
            scan(e, detectors, ''); // warm up
    const rounds = 20;
    const t0 = process.hrtime.bigint();
    let findings = 0;
    for (let r = 0; r < rounds; r++)
        for (const e of events)
            findings += scan(e, detectors, '').length;
    const us = Number(process.hrtime.bigint() - t0) / 1000 / (rounds * events.length);
    assert.equal(findings, 0, 'a typical event holds nothing restricted');
    console.log(`# restricted-data guard, ${label}: ${us.toFixed(2)} µs/event (${JSON.stringify(events[0]).length} bytes)`);
    return us;
}
it('micro-benchmark: scan a typical event (prints µs/event; not a timed assertion)', () => {
    measure('payment cards only', compileDetectors([]));
    const terms = ['HIV', 'AIDS', 'chemotherapy', 'cancer', 'diabetes', 'depression', 'pregnancy', 'abortion', 'hepatitis', 'tuberculosis', 'schizophrenia', 'bipolar', 'dialysis', 'oncology', 'psychiatry', 'rehab', 'methadone', 'insulin', 'sexually transmitted', 'chlamydia'];
    measure('+ 20 health keywords + 2 id patterns', compileDetectors([
        { id: 'health', label: 'Health', kind: 'keywords', terms },
        { id: 'ssn', label: 'SSN', kind: 'regex', pattern: String.raw `\b\d{3}-\d{2}-\d{4}\b` },
        { id: 'nino', label: 'NINO', kind: 'regex', pattern: String.raw `\b[A-CEGHJ-PR-TW-Z]{2}\d{6}[A-D]\b`, flags: 'i' },
    ]));
});
//# sourceMappingURL=guard.bench.test.js.map