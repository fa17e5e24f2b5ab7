import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { cardBrand, findPaymentCards, ibanValid, isPlausibleCard } from './payment-cards.js';
import { BRAND_EXAMPLES, grouped, withLuhn } from './test-fixtures.js';

const found = (s: string) => findPaymentCards(s).length > 0;
/** The first card's text. */
const firstCard = (s: string) => {
  const r = findPaymentCards(s);
  return r.length ? s.slice(r[0], r[1]) : undefined;
};
const digitsOf = (pan: string) => Array.from(pan, Number);

describe('payment cards: brands', () => {
  for (const { brand, pan } of BRAND_EXAMPLES) {
    it(`finds ${brand} ${pan.length}-digit ${pan.slice(0, 4)}…`, () => {
      assert.equal(cardBrand(digitsOf(pan), 0, pan.length), brand);
      assert.ok(isPlausibleCard(pan));
      assert.equal(firstCard(pan), pan);
      assert.equal(firstCard(`pay ${pan} now`), pan);
    });
    it(`ignores ${brand} ${pan.slice(0, 4)}… with a wrong check digit`, () => {
      const bad = pan.slice(0, -1) + ((Number(pan.at(-1)) + 1) % 10);
      assert.equal(found(bad), false);
      assert.equal(found(`pay ${bad} now`), false);
    });
  }

  it('needs a brand for the prefix and length, not just Luhn', () => {
    for (const pan of [
      withLuhn('1', 16), // no scheme issues 1…
      withLuhn('7', 16),
      withLuhn('9', 16),
      withLuhn('0', 16),
      withLuhn('81', 16),
      withLuhn('4', 13), // legacy 13-digit Visa: no longer issued, collides with 13-digit ids
      withLuhn('4', 15),
      withLuhn('4', 17), // Visa issues 16 and 19 digits: 17 and 18 are order ids (Amazon's 3-7-7)
      withLuhn('4', 18),
      withLuhn('300', 17), // Diners is 14 or 16
      withLuhn('36', 15),
      withLuhn('37', 16), // Amex is 15 digits
      withLuhn('51', 15), // Mastercard is 16
      withLuhn('51', 19),
      withLuhn('2220', 16, '9'), // just below the 2-series range
      withLuhn('2721', 16), // just above
      withLuhn('3527', 16, '9'), // just below JCB
      withLuhn('306', 14), // Diners is 300–305
      withLuhn('5', 12), // too short for anything
      withLuhn('4', 20), // too long
    ]) {
      assert.equal(isPlausibleCard(pan), false, pan);
      assert.equal(found(pan), false, pan);
      assert.equal(found(`x ${pan} y`), false, pan);
    }
  });
});

describe('payment cards: separators and encodings', () => {
  const visa = '4111111111111111';
  const amex = '378282246310005';
  const cases: [string, string][] = [
    ['spaces', '4111 1111 1111 1111'],
    ['dashes', '4111-1111-1111-1111'],
    ['mixed', '4111 1111-1111 1111'],
    ['Amex 4-6-5', '3782 822463 10005'],
    ['odd groups', '411111 1111 111111'],
    ['no-break spaces', '4111\u00a01111\u00a01111\u00a01111'],
    ['plus (query string)', '4111+1111+1111+1111'],
    ['percent-encoded spaces', '4111%201111%201111%201111'],
    ['percent-encoded dashes', '4111%2D1111%2d1111%2D1111'],
    ['percent-encoded digits', '%34%31%31%31%31%31%31%31%31%31%31%31%31%31%31%31'],
    ['thin spaces', '4111\u20091111\u20091111\u20091111'],
    ['narrow no-break spaces (French typography)', '4111\u202f1111\u202f1111\u202f1111'],
    ['figure spaces', '4111\u20071111\u20071111\u20071111'],
    ['percent-encoded plus', '4111%2B1111%2b1111%2B1111'],
    ['full-width digits', '４１１１ １１１１ １１１１ １１１１'],
    ['full-width digits together', '４１１１１１１１１１１１１１１１'],
    ['Arabic-Indic digits', '٤١١١ ١١١١ ١١١١ ١١١١'],
    ['Persian digits', '۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱'],
    ['Devanagari digits', '४१११-११११-११११-११११'],
    ['Thai digits mixed with ASCII', '๔๑๑๑ ๑๑๑๑ 1111 1111'],
    ['zero-width joiners', '4111\u200d1111\u200d1111\u200d1111'],
    ['zero-width non-joiners', '4111\u200c1111\u200c1111\u200c1111'],
    ['direction marks', '4111\u200e1111\u200f1111\u200e1111'],
    ['an invisible character between every digit', [...'4111111111111111'].join('\u200b')],
    ['soft hyphens between every digit', [...'4111111111111111'].join('\u00ad')],
    ['variation selectors', '4\ufe0f111 1111 1111 1111'],
  ];
  for (const [name, text] of cases) {
    it(`finds a card written with ${name}`, () => {
      assert.ok(found(text), text);
      assert.equal(firstCard(`see: ${text}.`), text);
    });
  }

  it('finds cards in URLs, query strings and referrers', () => {
    for (const url of [
      `https://shop.example/checkout?card=${visa}&x=1`,
      'https://shop.example/checkout?card=4111%201111%201111%201111&x=1',
      'https://shop.example/checkout?card=4111+1111+1111+1111',
      'https://shop.example/checkout?card%3D4111111111111111',
      `https://shop.example/cards/${amex}/edit`,
      `https://shop.example/#pan=${visa}`,
      `android-app://com.example/${visa}`,
    ]) {
      assert.ok(found(url), url);
    }
  });

  it('finds cards in free text and serialised JSON', () => {
    assert.ok(found(`My card is ${visa}, expiry 12/29`));
    assert.ok(found(`{"card":"${visa}"}`));
    assert.ok(found(`card:${visa}`));
    assert.ok(found(`line one\\n${visa}`));
    assert.ok(found(`order 12 4111 1111 1111 1111`), 'a short number before the card');
    assert.ok(found(`4111 1111 1111 1111 2029`), 'a short number after the card');
    assert.ok(found(`ids=1,${visa},3`));
  });

  it('does not join groups across tabs or line breaks (columns and lines of short numbers)', () => {
    assert.equal(found('4111\t1111\t1111\t1111'), false);
    assert.equal(found('4111\n1111\n1111\n1111'), false);
  });

  it('joins groups across gaps of up to three separators, of any kind of space or dash', () => {
    for (const text of [
      '4111  1111  1111  1111',
      '4111 - 1111 - 1111 - 1111',
      '4111   1111   1111   1111',
      '4111--1111--1111--1111',
      '4111 – 1111 – 1111 – 1111', // en dashes
      '4111—1111—1111—1111', // em dashes
      '４１１１　１１１１　１１１１　１１１１', // full-width digits, ideographic spaces
      '４１１１－１１１１－１１１１－１１１１', // full-width hyphen-minus
      '4111\u30001111\u30001111\u30001111',
      '4111\u2002\u20021111\u20021111\u20021111', // en spaces
      '4111\u200b1111\u200b1111\u200b1111', // zero-width spaces
      '4111\u00ad1111\u00ad1111\u00ad1111', // soft hyphens
      '4111\u2212\u20091111\u22121111\u22121111', // minus signs, a thin space
      '4111%20%20%201111%20-%201111+-+1111',
      '3782  822463  10005',
    ]) {
      assert.ok(found(text), JSON.stringify(text));
      assert.equal(firstCard(`card: ${text}.`), text, JSON.stringify(text));
    }
  });

  it('does not join groups across longer gaps or cut into longer digit runs', () => {
    assert.equal(found('4111    1111    1111    1111'), false, 'four spaces end the number');
    assert.equal(found('4111 - - 1111 - - 1111 - - 1111'), false);
    assert.equal(found(`12345678${visa}1`), false, 'a 25-digit id');
    assert.equal(found(`9${visa}`), false);
    assert.equal(found(`${visa}0`), false);
    assert.equal(found(`1234567894111111111111111111`), false);
    assert.equal(found('4111 11 11 1111 1111 1'), false, 'groups of one or two digits are not card groups');
    assert.ok(found(`123456789 ${visa}`), 'separated, it is found');
    assert.ok(found(`123456789-${visa}-2`));
  });

  it('does not find digits glued to letters or decimal points', () => {
    assert.equal(found(`ab${visa}`), false);
    assert.equal(found(`${visa}cd`), false);
    assert.equal(found(`0.${visa}`), false);
    assert.equal(found(`${visa}.5`), false);
    assert.ok(found(`${visa}.`), 'a full stop ends a sentence');
  });

  it('finds a card with direction isolates around each group (from its first digit to its last)', () => {
    const text = '\u20664111\u2069 \u20661111\u2069 \u20661111\u2069 \u20661111\u2069';
    assert.equal(firstCard(`see: ${text}.`), text.slice(1, -1));
  });

  it('finds cards against the letters of scripts written without spaces between words', () => {
    for (const text of [`卡号${visa}`, `カード番号${visa}です`, `카드번호${visa}입니다`, `บัตร${visa}`, `بطاقة${visa}`, `כרטיס${visa}`]) assert.ok(found(text), text);
    for (const text of [`Kartennummer${visa}`, `номер${visa}`, `αριθμός${visa}`]) assert.equal(found(text), false, `${text}: glued to a word, as in ab${visa}`);
  });
});

describe('payment cards: look-alikes are not flagged', () => {
  it('ordinary text with wide gaps: lists of small numbers, phone numbers, dates, times, order ids', () => {
    for (const text of [
      '1  2  3  4  5  6  7  8  9  10  11  12  13  14  15  16',
      '10 - 20 - 30 - 40 - 50 - 60 - 70 - 80 - 90',
      'sizes: 36  38  40  42  44  46  48',
      '1 – 2 – 3 – 4 – 5 – 6 – 7 – 8 – 9 – 10 – 11 – 12 – 13',
      '+44  20  7946  0958',
      '+1  415  555  2671',
      '+33 6 12 34 56 78 - +33 6 98 76 54 32',
      '(415)  555 - 2671',
      '０３　１２３４　５６７８', // a Tokyo number in full-width digits
      '+49 30 - 1234 - 5678',
      '2024-01-15 - 2024-02-20',
      '2024-01-15  2024-02-20  2024-03-01  2024-04-01',
      '15 - 01 - 2024  16 - 02 - 2024',
      '2019 - 2020 - 2021 - 2022 - 2023 - 2024',
      '1999  2004  2010  2015  2020',
      '10:30 - 11:45  12:00 - 13:15',
      'ORD-2024-000123 - ORD-2024-000124 - ORD-2024-000125',
      '#100234  #100235  #100236  #100237',
      'v1.2.3 - v1.2.4 - v1.10.0',
      'Total: 1 234 567,89 €  –  12 %',
      'SKU 12-345  SKU 67-890',
    ]) {
      assert.equal(found(text), false, text);
    }
  });

  it('random lists of one- and two-digit numbers and years, whatever the gaps', () => {
    const gaps = [' ', '  ', '   ', ' - ', '-', ' – ', '\u3000', '\u00a0\u00a0', ', ', ' / '];
    const pick = <T>(a: readonly T[]) => a[Math.floor(Math.random() * a.length)]!;
    let hits = 0;
    for (let i = 0; i < 20_000; i++) {
      const n = 4 + Math.floor(Math.random() * 12);
      const items = Array.from({ length: n }, () => (Math.random() < 0.7 ? String(Math.floor(Math.random() * 100)) : String(1900 + Math.floor(Math.random() * 200))));
      if (found(items.map((x, k) => (k === 0 ? x : pick(gaps) + x)).join(''))) hits++;
    }
    assert.equal(hits, 0);
  });

  it('millisecond, microsecond and nanosecond timestamps', () => {
    for (const t of [1_700_000_000_000, 1_735_689_600_000, Date.now(), 1_700_000_000_000_000, 1_700_000_000_000_000_000n]) {
      assert.equal(found(String(t)), false, String(t));
    }
    for (let t = 1_000_000_000_000; t < 2_100_000_000_000; t += 1_234_567_891) assert.equal(found(String(t)), false);
  });

  it('E.164 and formatted phone numbers', () => {
    for (const p of ['+14155552671', '+447911123456', '+4915112345678', '+491711234567890', '+1 415-555-2671', '+44 20 7946 0958', '+34 612 345 678', '+36 1 234 5678', '(415) 555-2671', '+1-800-555-0199']) {
      assert.equal(found(p), false, p);
      assert.equal(found(`call ${p} today`), false, p);
    }
  });

  it('UUIDs, including all-decimal ones whose digits pass Luhn', () => {
    for (let i = 0; i < 5000; i++) {
      const u = randomUUID();
      assert.equal(found(u), false, u);
      assert.equal(found(u.toUpperCase()), false, u);
    }
    const head = withLuhn('412345671234412', 16); // 41234567-1234-412x: a Luhn-valid "Visa" across three groups
    const uuid = `${head.slice(0, 8)}-${head.slice(8, 12)}-${head.slice(12)}-8123-456789012345`;
    assert.ok(isPlausibleCard(head));
    assert.equal(found(uuid), false, uuid);
    assert.equal(found(`id=${uuid}&x=1`), false, uuid);
  });

  it('ISO dates and times', () => {
    for (const d of ['2024-01-15', '2024-01-15T10:30:00.000Z', '2024-01-15 10:30:00', '2024-01-15-2024-02-20', '20240115-20240220', '2024-01-15 2024-02-20 2024-03-01', '15-01-2024 16-02-2024']) {
      assert.equal(found(d), false, d);
    }
  });

  it('typical order, invoice and platform ids', () => {
    for (const id of [
      'ORD-2024-000123',
      '#100234',
      'gid://shopify/Order/5123456789012',
      '5123456789012',
      '4567890123456',
      'INV-2024-000000123456',
      'PO 4111 1111',
      '1790000000000000000', // snowflake id
      '100004123456789', // a Facebook-style id
      'GA1.2.1234567890.1700000000',
      '192.168.100.200',
      'v4.11.1111.1111',
      'cus_4111111111111111aB',
      'pi_3OqWk2L4111111111111111',
      '305-7609400-0630073', // Amazon EU order ids (3-7-7): 17 digits, no brand issues that length
      '405-3733467-4144895',
      '402-6093125-4137958',
    ]) {
      assert.equal(found(id), false, id);
    }
  });

  it('floats whose digits happen to pass Luhn', () => {
    const visa = withLuhn('4', 16, '3');
    assert.equal(found(`0.${visa}`), false);
    assert.equal(found(String(Number(`0.${visa}`))), false);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (found(String(Math.random()))) hits++;
    assert.equal(hits, 0);
  });

  it('hex hashes', () => {
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (found(createHash('sha256').update(String(i)).digest('hex'))) hits++;
    assert.equal(hits, 0);
    assert.equal(found(`a${withLuhn('4', 16, '7')}f`), false);
  });

  it('IBANs, written in groups of four or together, whose digits hold a Luhn-valid number', () => {
    /** A valid IBAN of `country` with this BBAN: check digits from ISO 13616's mod 97. */
    const iban = (country: string, bban: string) => {
      const numeric = (x: string) => Array.from(x, (c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c)).join('');
      const check = 98 - Number(BigInt(numeric(`${bban}${country}00`)) % 97n);
      return `${country}${String(check).padStart(2, '0')}${bban}`;
    };
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
    const inGroups = (x: string) => x.replace(/(.{4})(?=.)/g, '$1 ');
    assert.ok(ibanValid('DE89370400440532013000'));
    assert.ok(!ibanValid('DE89370400440532013001'));
    let cardLike = 0;
    for (let i = 0; i < 3000; i++) {
      for (const [country, length] of [['DE', 18], ['ES', 20], ['PL', 24], ['FR', 23], ['IT', 0]] as const) {
        const bban = country === 'IT' ? `X${digits(10)}${digits(12)}` : digits(length);
        const value = iban(country, bban);
        assert.ok(ibanValid(value), value);
        if (found(inGroups(value.slice(4)))) cardLike++;
        for (const written of [value, inGroups(value), inGroups(value).replaceAll(' ', '-'), `IBAN: ${inGroups(value)}.`]) {
          assert.equal(found(written), false, written);
        }
      }
    }
    assert.ok(cardLike > 100, `the BBANs alone hold cards (${cardLike}), so the IBAN check is what spares them`);
    // A card after letters and digits that are not a valid IBAN is still a card.
    const visa = grouped(withLuhn('4', 16, '1'), [4, 4, 4, 4]);
    for (const text of [`DE00 ${visa}`, `Ref AB12 ${visa}`, `DE87 ${visa} 60`]) assert.equal(found(text), true, text);
  });
});
