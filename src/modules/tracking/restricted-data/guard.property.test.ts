import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CARD_BRANDS, compileDetectors, redact, scan } from './index.js';
import { luhnValid } from './payment-cards.js';
import { type DecodedView, MAX_DECODE_ROUNDS, urlDecodeOnce } from './url-decoded.js';

const detectors = compileDetectors([
  { id: 'health', label: 'Health', kind: 'keywords', terms: ['hiv', 'chemotherapy'] },
  { id: 'ssn', label: 'SSN', kind: 'regex', pattern: String.raw`\b\d{3}-\d{2}-\d{4}\b` },
]);
const NUM_RUNS = Number(process.env['HAVEN_FC_RUNS'] ?? 300);

/** A Luhn-valid PAN of a supported brand: a prefix from the table, random digits, the check digit. */
const pan = fc
  .constantFrom(...CARD_BRANDS.flatMap((b) => b.prefixes.flatMap(([lo, hi]) => b.lengths.map((len) => ({ lo, hi, len })))))
  .chain(({ lo, hi, len }) =>
    fc.tuple(fc.integer({ min: lo, max: hi }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: len, maxLength: len })).map(([prefix, rest]) => {
      const digits = (String(prefix) + rest.join('')).slice(0, len - 1);
      for (let c = 0; c <= 9; c++) if (luhnValid(Array.from(digits + c, Number), 0, len)) return digits + c;
      throw new Error('unreachable');
    }),
  );

/** The PAN as people and browsers write it. */
const written = fc
  .tuple(
    pan,
    fc.constantFrom('plain', '4s', 'random'),
    fc.constantFrom(' ', '-', '+', '%20', '%2D', '\u00a0', '  ', ' - ', '\u3000', ' – ', '%2520', '%E3%80%80', '%20%20'),
    fc.array(fc.integer({ min: 3, max: 6 }), { minLength: 6, maxLength: 6 }),
    fc.constantFrom('plain', 'plain', 'percent', 'full-width'),
  )
  .map(([digits, layout, sep, sizes, digitForm]) => {
    const groups: string[] = [];
    let at = 0;
    for (let g = 0; at < digits.length; g++) {
      const n = layout === 'plain' ? digits.length : layout === '4s' ? 4 : sizes[g % sizes.length]!;
      let take = Math.min(n, digits.length - at);
      if (digits.length - at - take > 0 && digits.length - at - take < 3) take = digits.length - at; // no trailing group under 3 digits
      groups.push(digits.slice(at, at + take));
      at += take;
    }
    const encode = (g: string) =>
      digitForm === 'percent' ? g.replace(/\d/g, (d) => `%3${d}`) : digitForm === 'full-width' ? g.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) : g;
    const text = groups.map(encode).join(sep);
    return { digits, text };
  });

/** Text around it: anything, joined by a character that is not a letter, digit, "." or separator. */
const boundary = fc.constantFrom(' ', '\n', ',', ';', '"', ':', '/', '(', ')', '=', '&', '?', '#', '|');
const embedded = fc.tuple(fc.string({ maxLength: 40 }), boundary, written, boundary, fc.string({ maxLength: 40 })).map(([before, b1, card, b2, after]) => ({
  card,
  text: before + b1 + card.text + b2 + after,
}));

/** Put `text` somewhere in a random JSON document: as a value or a key, at some depth. */
const placed = fc
  .tuple(embedded, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('value', 'key', 'array', 'deep'), fc.string({ maxLength: 8 }))
  .map(([{ card, text }, noise, where, key]) => {
    const k = key.replace(/\d/g, '');
    const doc: Record<string, unknown> = { noise };
    if (where === 'value') doc[k || 'v'] = text;
    else if (where === 'key') doc[text] = noise;
    else if (where === 'array') doc['list'] = [noise, text];
    else doc['a'] = { b: { c: text } };
    return { card, doc };
  });

describe('property: payment cards in random text and JSON', () => {
  it('(a) a supported-brand, Luhn-valid PAN is always found, however written and wherever placed', () => {
    fc.assert(
      fc.property(placed, ({ doc }) => {
        const findings = scan(doc, detectors, 'properties');
        assert.ok(
          findings.some((f) => f.reason === 'payment_card'),
          'no payment_card finding',
        );
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });

  /**
   * 13 digits (plain, full-width or percent-encoded) with gaps of at most three separators between
   * consecutive ones, in the text or in one of its URL-decoded views: a superset of what the card
   * scanner can join.
   */
  const LONG_RUN = /(?:\d|%3\d|[\uff10-\uff19])(?:(?:[\s+\u00ad\u2010-\u2015\u2212\u2060\ufe63\ufeff\uff0b\uff0d-]|%2[0dDbB]|\u200b){0,3}(?:\d|%3\d|[\uff10-\uff19])){12}/;
  const hasLongRun = (text: string) => {
    let v: DecodedView | undefined = { text, from: undefined, to: undefined, escapes: false };
    for (let round = 0; v && round <= MAX_DECODE_ROUNDS; round++, v = urlDecodeOnce(v, false)) if (LONG_RUN.test(v.text)) return true;
    return false;
  };
  const digitHeavy = fc.string({
    unit: fc.constantFrom(...'0123456789', ' ', ' ', '-', '+', '%', '2', '3', '5', 'D', 'a', 'é', '.', '/', ':', '\u00a0', '_', '\u3000', '–', '４'),
    maxLength: 40,
  });
  const noisyJson = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, digitHeavy, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(digitHeavy, tie('value'), { maxKeys: 4 }),
  })).value;

  it('(b) random JSON without 13-digit runs never yields payment_card', () => {
    fc.assert(
      fc.property(
        fc.oneof(noisyJson, fc.jsonValue()).filter((j) => !hasLongRun(JSON.stringify(j) ?? '')),
        (doc) => {
          assert.ok(!scan(doc, detectors, 'p').some((f) => f.reason === 'payment_card'));
        },
      ),
      { numRuns: NUM_RUNS * 3 },
    );
  });

  it('(c) redact removes every PAN and leaves nothing for scan to find', () => {
    fc.assert(
      fc.property(fc.oneof(placed.map((p) => ({ card: p.card, doc: p.doc as unknown })), noisyJson.map((doc) => ({ card: undefined, doc }))), ({ card, doc }) => {
        const { value, findings } = redact(doc, detectors, 'p');
        assert.deepEqual(findings, scan(doc, detectors, 'p'));
        const out = JSON.stringify(value) ?? '';
        if (card) {
          assert.ok(!out.includes(card.text), 'the written PAN is gone');
          assert.ok(!out.includes(card.digits), 'the digits are gone');
        }
        assert.deepEqual(scan(value, detectors, 'p'), []);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });

  it('(d) redaction never leaves half of a surrogate pair, whatever a pattern matches next to one', () => {
    const halves = compileDetectors([
      { id: 'q', label: 'Q', kind: 'regex', pattern: 'q[^a]' },
      { id: 'z', label: 'Z', kind: 'regex', pattern: '[^a]z' },
      { id: 'x', label: 'X', kind: 'regex', pattern: 'x.{1,3}y' },
      { id: 'k', label: 'K', kind: 'keywords', terms: ['hiv'] },
    ]);
    const unit = fc.constantFrom('q', 'z', 'x', 'y', 'a', ' ', 'hiv', '😀', '𝒳', 'é', '%F0%9F%98%80', '4111 1111 1111 1111');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), fc.string({ unit, maxLength: 6 }), (text, key) => {
        const { value } = redact({ [key]: text }, halves, 'p');
        const out = JSON.stringify(value);
        assert.ok(Object.keys(value as object).every((k) => k.isWellFormed()));
        assert.ok(Object.values(value as object).every((v) => typeof v !== 'string' || v.isWellFormed()), out);
        assert.deepEqual(scan(value, halves, 'p'), []);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });
});
