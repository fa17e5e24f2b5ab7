import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HavenError } from '../../../platform/http/errors.js';
import { compileDetectors, redact, scan, type Finding } from './index.js';

const visa = '4111111111111111';
const mc = '5555 5555 5555 4444';
const detectors = compileDetectors([
  { id: 'health', label: 'Health', kind: 'keywords', terms: ['hiv', 'chemotherapy'] },
  { id: 'ssn', label: 'SSN', kind: 'regex', pattern: String.raw`\b\d{3}-\d{2}-\d{4}\b` },
]);

const event = {
  properties: {
    plan: 'pro',
    card: `card ${visa}`,
    nested: { deeper: { list: ['fine', { note: `mc ${mc}` }, 42] } },
    [visa]: 'the key is a card',
    hivStatus: 'negative',
    amount: 4111111111111111, // a PAN as a JSON number
    ok: 1_700_000_000_000,
    flags: [true, null, false],
  },
  context: {
    page: {
      url: 'https://shop.example/pay?cc=4111%201111%201111%201111&step=2',
      referrer: 'https://search.example/?q=chemotherapy+side+effects',
      title: 'Checkout',
    },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
  },
  event: 'Card 378282246310005 saved',
};

describe('scan', () => {
  it('reports every field at any depth, keys included, with dotted paths', () => {
    const findings = [...scan(event.properties, detectors, 'properties'), ...scan(event.context, detectors, 'context'), ...scan(event.event, detectors, 'event')];
    assert.deepEqual(findings, [
      { field: 'properties.card', reason: 'payment_card' },
      { field: 'properties.nested.deeper.list.1.note', reason: 'payment_card' },
      { field: 'properties.[redacted]', reason: 'payment_card' },
      { field: 'properties.[redacted]Status', reason: 'detector:health' },
      { field: 'properties.amount', reason: 'payment_card' },
      { field: 'context.page.url', reason: 'payment_card' },
      { field: 'context.page.referrer', reason: 'detector:health' },
      { field: 'event', reason: 'payment_card' },
    ] satisfies Finding[]);
  });

  it('never repeats the matched text, not even in a path', () => {
    const text = JSON.stringify(scan({ [`k ${visa}`]: { inner: visa, [visa]: 1 } }, detectors, 'properties'));
    assert.ok(!text.includes('4111'), text);
  });

  it('paths: empty root, array roots, scalar roots', () => {
    assert.deepEqual(scan({ a: visa }, detectors, ''), [{ field: 'a', reason: 'payment_card' }]);
    assert.deepEqual(scan(['x', visa], detectors, 'items'), [{ field: 'items.1', reason: 'payment_card' }]);
    assert.deepEqual(scan(visa, detectors, 'event'), [{ field: 'event', reason: 'payment_card' }]);
    assert.deepEqual(scan(BigInt(visa), detectors, 'n'), [{ field: 'n', reason: 'payment_card' }]);
    assert.deepEqual(scan(null, detectors, 'n'), []);
    assert.deepEqual(scan(undefined, detectors, 'n'), []);
    assert.deepEqual(scan({}, detectors, 'n'), []);
  });

  it('one finding per field and reason', () => {
    assert.deepEqual(scan(`${visa} and ${visa}, 123-45-6789, hiv`, detectors, 'f'), [
      { field: 'f', reason: 'payment_card' },
      { field: 'f', reason: 'detector:health' },
      { field: 'f', reason: 'detector:ssn' },
    ]);
  });

  it('refuses values nested beyond the limit instead of overflowing the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    assert.throws(() => scan(deep, detectors, 'p'), (e: unknown) => e instanceof HavenError && e.code === 'too_deep');
  });
});

describe('redact', () => {
  it('replaces matched text in values and keys, keeping keys’ values and everything else', () => {
    const before = structuredClone(event);
    const { value, findings } = redact(event, detectors, '');
    assert.deepEqual(event, before, 'the input is not modified');
    assert.deepEqual(value, {
      properties: {
        plan: 'pro',
        card: 'card [redacted]',
        nested: { deeper: { list: ['fine', { note: 'mc [redacted]' }, 42] } },
        '[redacted]': 'the key is a card',
        '[redacted]Status': 'negative',
        amount: '[redacted]',
        ok: 1_700_000_000_000,
        flags: [true, null, false],
      },
      context: {
        page: {
          url: 'https://shop.example/pay?cc=[redacted]&step=2',
          referrer: 'https://search.example/?q=[redacted]+side+effects',
          title: 'Checkout',
        },
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
      },
      event: 'Card [redacted] saved',
    });
    assert.deepEqual(findings, scan(event, detectors, ''));
    assert.deepEqual(scan(value, detectors, ''), []);
  });

  it('returns a deep copy that is byte-identical where nothing matched', () => {
    const clean = { a: 'ünïcödé 🎉', b: [1, 2.5, -0, 1e21, { c: null }], 'd e': { f: true }, g: '' };
    const { value, findings } = redact(clean, detectors, '');
    assert.deepEqual(findings, []);
    assert.equal(JSON.stringify(value), JSON.stringify(clean));
    assert.notEqual(value, clean);
    assert.notEqual((value as typeof clean).b, clean.b);
  });

  it('keeps keys apart when two redact to the same text', () => {
    const { value } = redact({ [visa]: 1, '5555555555554444': 2, '[redacted]': 3 }, detectors, '');
    assert.deepEqual(Object.values(value as object).sort(), [1, 2, 3]);
    assert.deepEqual(scan(value, detectors, ''), []);
  });

  it('copies a "__proto__" key as data', () => {
    const input = JSON.parse(`{"__proto__": {"card": "${visa}"}}`) as unknown;
    const { value } = redact(input, detectors, '');
    assert.equal(JSON.stringify(value), '{"__proto__":{"card":"[redacted]"}}');
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  it('redacts overlapping matches once', () => {
    const d = compileDetectors([
      { id: 'a', label: 'A', kind: 'regex', pattern: String.raw`\d{3}-\d{2}` },
      { id: 'b', label: 'B', kind: 'regex', pattern: String.raw`\d{2}-\d{4}` },
    ]);
    assert.equal(redact('id 123-45-6789 end', d, '').value, 'id [redacted] end');
    assert.equal(redact('id 123-45 end', d, '').value, 'id [redacted] end');
  });

  it('re-redacts what a team pattern matches across the marker', () => {
    const d = compileDetectors([{ id: 'edge', label: 'E', kind: 'regex', pattern: String.raw`\]x|y\[|zz` }]);
    const { value } = redact('yzzx', d, '');
    assert.deepEqual(scan(value, d, ''), []);
  });
});
