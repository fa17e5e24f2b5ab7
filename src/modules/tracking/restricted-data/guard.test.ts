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
    // The name that keeps them apart must scan clean too, even against a pattern written for it.
    const aroundMarkers = compileDetectors([
      { id: 'ssn', label: 'SSN', kind: 'regex', pattern: String.raw`\d{3}-\d{2}-\d{4}` },
      { id: 'edge', label: 'Edge', kind: 'regex', pattern: String.raw`\] \[|\] \(` },
    ]);
    const apart = redact({ '[redacted]': 1, '123-45-6789': 2 }, aroundMarkers, '').value as Record<string, number>;
    assert.deepEqual(Object.values(apart).sort(), [1, 2]);
    assert.deepEqual(scan(apart, aroundMarkers, ''), []);
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

describe('URL-encoded text', () => {
  const d = compileDetectors([
    { id: 'health', label: 'Health', kind: 'keywords', terms: ['dépression', 'hiv test'] },
    { id: 'ssn', label: 'SSN', kind: 'regex', pattern: String.raw`\b\d{3}[ -]\d{2}[ -]\d{4}\b` },
  ]);
  const reasonsOf = (v: unknown) => scan(v, d, 'f').map((f) => f.reason);

  it('team keywords and patterns see percent-encoded text, a query’s "+" and double encoding', () => {
    for (const [text, reason] of [
      ['https://x.com/search?q=d%C3%A9pression', 'detector:health'],
      ['https://x.com/search?q=D%C3%89PRESSION&x=1', 'detector:health'],
      ['https://x.com/search?q=d%25C3%25A9pression', 'detector:health'], // double-encoded
      ['https://x.com/search?q=d%E9pression', 'detector:health'], // Latin-1, as older sites send it
      ['q=hiv%2Dtest', 'detector:health'],
      ['https://x.com/?q=123%2045%206789', 'detector:ssn'],
      ['https://x.com/?q=123+45+6789', 'detector:ssn'],
      ['https://x.com/?q=123%252045%25206789', 'detector:ssn'],
      ['https://x.com/?q=123%25252045%2525206789', 'detector:ssn'], // triple-encoded
      ['https://x.com/?q=%31%32%33-%34%35-%36%37%38%39', 'detector:ssn'],
    ] as const) {
      assert.deepEqual(reasonsOf(text), [reason], text);
      assert.deepEqual(reasonsOf({ [text]: 1 }), [reason], `${text} as a key`);
    }
  });

  it('invalid or partial escapes never throw, and hide nothing around them', () => {
    for (const text of ['%', '%%', '%Z', '%ZZ', '100%', '50% off', '%E9%', '%C3', '%C3%28', '%ED%A0%80', '%F4%90%80%80', '%C0%AF', '%FF%FE%', '%E3%80', 'a+b', '?+', '=+%']) {
      assert.deepEqual(reasonsOf(text), [], text);
      assert.deepEqual(redact(text, d, 'f').value, text, text);
    }
    assert.deepEqual(reasonsOf('%ZZ d%C3%A9pression %E9%'), ['detector:health']);
    assert.deepEqual(reasonsOf('%C3%28 123%2045%206789 %'), ['detector:ssn']);
  });

  it('stays bounded on hostile encodings with a team pattern at the size limit', () => {
    const worst = compileDetectors([{ id: 'worst', label: 'W', kind: 'regex', pattern: String.raw`[\s\S]*a[\s\S]{494}y` }]);
    const n = 32 * 1024;
    for (const unit of ['a+', '%61', '%2B', '%252B', '%25252B']) {
      const hostile = `?${unit.repeat(Math.ceil(n / unit.length))}`.slice(0, n);
      const t0 = performance.now();
      assert.deepEqual(scan(hostile, worst, 'f'), []);
      const ms = performance.now() - t0;
      console.log(`# worst-case team pattern on 32 KiB of "${unit}" (decoded views included): ${ms.toFixed(1)} ms`);
      assert.ok(ms < 5000, `${ms} ms`);
    }
  });

  it('redacts the original characters of a match seen decoded: whole escapes, nothing of the finding left', () => {
    const cases: [string, string][] = [
      ['https://x.com/search?q=d%C3%A9pression&x=1', 'https://x.com/search?q=[redacted]&x=1'],
      ['https://x.com/?q=123%2045%206789', 'https://x.com/?q=[redacted]'],
      ['https://x.com/?q=123+45+6789&page=2', 'https://x.com/?q=[redacted]&page=2'],
      ['https://x.com/?q=d%25C3%25A9pression', 'https://x.com/?q=[redacted]'],
      [
        'https://a.com/login?next=https%3A%2F%2Fshop.com%2Fpay%3Fcc%3D4111%25201111%25201111%25201111&z=1',
        'https://a.com/login?next=https%3A%2F%2Fshop.com%2Fpay%3Fcc%3D[redacted]&z=1',
      ],
      ['🎉%F0%9F%8E%89 d%C3%A9pression', '🎉%F0%9F%8E%89 [redacted]'],
    ];
    for (const [text, expected] of cases) {
      const { value, findings } = redact({ url: text }, d, 'context');
      assert.deepEqual(value, { url: expected }, text);
      assert.equal(findings.length, 1, text);
      assert.deepEqual(scan(value, d, 'context'), [], text);
    }
  });
});

describe('payment cards written the ways real data does', () => {
  it('full-width digits and ideographic spaces, double-encoded URLs, two spaces, " - "', () => {
    for (const text of [
      '４１１１　１１１１　１１１１　１１１１',
      'https://a.com/login?next=https%3A%2F%2Fshop.com%2Fpay%3Fcc%3D4111%25201111%25201111%25201111',
      '4111  1111  1111  1111',
      '4111 - 1111 - 1111 - 1111',
      'pay?cc=4111%E3%80%801111%E3%80%801111%E3%80%801111', // ideographic spaces, percent-encoded
    ]) {
      assert.deepEqual(scan({ v: text }, detectors, 'p'), [{ field: 'p.v', reason: 'payment_card' }], text);
      const { value } = redact({ v: text }, detectors, 'p');
      assert.deepEqual(scan(value, detectors, 'p'), [], text);
      assert.ok(!/1111/.test(JSON.stringify(value)), JSON.stringify(value));
    }
  });
});

describe('finding paths', () => {
  it('echo a name the sender chose only when it cannot hold personal data, as every other error does', () => {
    const findings = scan(
      {
        'bob@example.com': { cc: visa },
        '+442079460958': visa,
        [`note_${'x'.repeat(70)}`]: visa,
        'line\nbreak': visa,
        plain_name: { items: ['x', visa] },
      },
      detectors,
      'properties',
    );
    // Three keys read alike: one finding per field and reason.
    assert.deepEqual(findings.map((f) => f.field), ['properties.[redacted].cc', 'properties.[redacted]', 'properties.plain_name.items.1']);
    const text = JSON.stringify(findings);
    for (const leak of ['bob', 'example', '442079460958', 'xxxx', 'line']) assert.ok(!text.includes(leak), `${leak} in ${text}`);
  });

  it('still name ordinary fields as sent', () => {
    assert.deepEqual(scan({ card_number: visa, 'Card Nº 1': visa }, detectors, 'properties').map((f) => f.field), ['properties.card_number', 'properties.Card Nº 1']);
  });
});

describe('redaction and surrogate pairs', () => {
  // "." and [^a] next to a surrogate pair: patterns read whole code points, and so does redaction.
  const halves = compileDetectors([
    { id: 'q', label: 'Q', kind: 'regex', pattern: 'q[^a]' },
    { id: 'z', label: 'Z', kind: 'regex', pattern: '[^a]z' },
    { id: 'x', label: 'X', kind: 'regex', pattern: 'x.{1,3}y' },
  ]);

  it('redacts whole code points: stored text never holds a lone surrogate', () => {
    const cases: [unknown, unknown][] = [
      [{ event: 'q😀 clicked' }, { event: '[redacted] clicked' }],
      [{ event: 'say 😀z now' }, { event: 'say [redacted] now' }],
      [{ event: 'x😀y' }, { event: '[redacted]' }],
      [{ event: 'x😀😀😀y' }, { event: '[redacted]' }], // three code points (six code units) for .{1,3}
      [{ event: 'x😀😀😀😀y' }, { event: 'x😀😀😀😀y' }],
      [{ 'q😀': 'v' }, { '[redacted]': 'v' }],
    ];
    for (const [input, expected] of cases) {
      const { value, findings } = redact(input, halves, '');
      assert.deepEqual(value, expected, JSON.stringify(input));
      const text = JSON.stringify(value);
      assert.ok(text.isWellFormed(), text);
      assert.ok(!/\\ud[89a-f]/i.test(text), text);
      assert.deepEqual(scan(value, halves, ''), []);
      if (JSON.stringify(input) !== text) assert.ok(findings.length > 0);
    }
  });
});
