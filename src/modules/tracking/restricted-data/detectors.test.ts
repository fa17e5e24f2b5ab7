import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HavenError } from '../../../platform/http/errors.js';
import { compileDetectors, redact, scan, type DetectorDefinition } from './index.js';

const health: DetectorDefinition = { id: 'health', label: 'Health terms', kind: 'keywords', terms: ['HIV', 'chemotherapy', 'Chimiothérapie', 'sexually transmitted', 'SIDA'] };
const ssn: DetectorDefinition = { id: 'us-ssn', label: 'US SSN', kind: 'regex', pattern: String.raw`\b\d{3}-\d{2}-\d{4}\b` };
const nino: DetectorDefinition = { id: 'uk_nino', label: 'UK NI number', kind: 'regex', pattern: String.raw`\b[A-CEGHJ-PR-TW-Z]{2}\d{6}[A-D]\b`, flags: 'i' };
const detectors = compileDetectors([health, ssn, nino]);

const reasons = (value: unknown) => scan(value, detectors, 'x').map((f) => f.reason);
const has = (text: string, reason = 'detector:health') => reasons(text).includes(reason as never);

/** Runs `fn`, prints how long it took (a figure to read, not a timed test) and fails only on a stall. */
function timed(what: string, fn: () => void): void {
  const t0 = performance.now();
  fn();
  const ms = performance.now() - t0;
  console.log(`# ${what}: ${ms.toFixed(1)} ms`);
  assert.ok(ms < 5000, `${what}: ${ms} ms`);
}

function rejects(defs: unknown[], field: string, message?: RegExp) {
  assert.throws(
    () => compileDetectors(defs as DetectorDefinition[]),
    (e: unknown) => {
      assert.ok(e instanceof HavenError);
      assert.equal(e.code, 'invalid_detector');
      assert.equal(e.status, 400);
      assert.equal(e.field, field);
      if (message) assert.match(e.message, message);
      return true;
    },
  );
}

describe('keyword detectors', () => {
  it('match whole words, any case', () => {
    for (const t of ['hiv', 'HIV', 'Hiv', 'hIv test', 'tested (HIV)', 'HIV-positive', 'hiv_status', 'path /hiv/clinic', 'q=hiv+test', 'q=%22hiv%22', 'line\\nhiv', 'HIV 1 and HIV-2']) {
      assert.ok(has(t), t);
    }
  });

  it('match the start or end of camelCase words', () => {
    for (const t of ['hivStatus', 'HivStatus', 'patientHivTest', 'patientHIVStatus', 'hasHIV', 'HIV']) assert.ok(has(t), t);
  });

  it('do not match inside other words', () => {
    for (const t of ['archive', 'ARCHIVE', 'Archive', 'hive', 'HIVE', 'shiv', 'chive', 'archived', 'hiv2', 'x7hiv', 'ARCHIVEStatus', 'chemotherapyx', 'siday']) {
      assert.equal(has(t), false, t);
    }
  });

  it('ignore accents in text and terms', () => {
    for (const t of ['CHIMIOTHERAPIE', 'chimiothérapie', 'Chimiothe\u0301rapie', 'la chimiothérapie.', 'sída', 'ChemoTherapy', 'chémothérapy']) {
      assert.ok(has(t), t);
    }
  });

  it('do not find short terms inside random tokens (ad-click ids, JWTs), and still find them in names written in words', () => {
    const short = compileDetectors([{ id: 'k', label: 'K', kind: 'keywords', terms: ['hiv', 'std', 'aids', 'hpv', 'ms', 'ivf', 'ed'] }]);
    const gclid = 'Cj0KCQiA5rGuBhCnARIsAN11vgR_uoHivNQ-q3XkF9Z8bLmPstdWq2Yx-EdPz7Vt0aJ4sW_MsKhIvfQ1xYzBwE';
    assert.deepEqual(scan(`https://shop.test/landing?gclid=${gclid}`, short, 'f'), []);
    assert.deepEqual(scan('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJoaXYtYWlkcyIsIm5hbWUiOiJKb2huIERvZSJ9.HivStdAidsX1y2Z3w4V5u6T7s8R9qPoN8mLkJ7iHgF6e', short, 'f'), []);
    for (const t of ['HIV_Test_Results_2024_Quarterly_Report', 'Report_2024_Q1_Region_3_HIV_Test', 'patientHIVStatus', '/conditions/hiv-treatment-options-for-patients-2024', 'hiv']) assert.equal(scan(t, short, 'f').length > 0, true, t);
  });

  it('read compatibility forms as their letters, and look through characters that show nothing', () => {
    for (const t of ['ＨＩＶ positive', 'ｈｉｖ', '𝐡𝐢𝐯', 'ⓗⓘⓥ', 'Chemo\u00adtherapy', 'h\u200div', 'chemo\u200btherapy']) assert.ok(has(t), JSON.stringify(t));
    assert.equal(redact('Test: ＨＩＶ!', detectors, 'f').value, 'Test: [redacted]!');
    assert.equal(redact('Chemo\u00adtherapy today', detectors, 'f').value, '[redacted] today');
  });

  it('match phrases across spaces, dashes, underscores and the spaces of URLs (+, %20)', () => {
    for (const t of ['sexually transmitted', 'Sexually  Transmitted', 'sexually-transmitted infection', 'sexually_transmitted', '/search?q=sexually+transmitted', '/search/sexually%20transmitted%20infections']) {
      assert.ok(has(t), t);
    }
    assert.equal(redact('q=sexually%20transmitted&x=1', detectors, 'f').value, 'q=[redacted]&x=1');
    assert.equal(has('sexuallytransmitted'), false);
    assert.equal(has('sexually'), false);
  });

  it('prefer a shorter term when the longest one is not a whole word', () => {
    const d = compileDetectors([{ id: 'k', label: 'K', kind: 'keywords', terms: ['hiv', 'hiv pos'] }]);
    assert.deepEqual(redact('hiv posx', d, 'f').value, '[redacted] posx');
    assert.deepEqual(redact('hiv pos.', d, 'f').value, '[redacted].');
  });

  it('stay fast on text built to defeat them', () => {
    const terms = Array.from({ length: 500 }, (_, i) => `hiv${'x'.repeat(i % 50)}${i}`);
    const d = compileDetectors([{ id: 'k', label: 'K', kind: 'keywords', terms: ['hiv', ...terms.slice(1)] }]);
    const hostile = 'archive hivx '.repeat(2500); // ~32 KiB: every "hiv" fails its boundary first
    timed('hostile keyword text, 32 KiB, 500 terms', () => assert.deepEqual(scan(hostile, d, 'f'), []));
  });

  it('stay fast with one long phrase among the terms, or thousands that begin alike, and still find each', () => {
    // A long phrase made every near miss of a short term try each word end as far as the phrase reaches.
    const long = compileDetectors([
      { id: 'k', label: 'K', kind: 'keywords', terms: ['hiv', 'diagnosed with human immunodeficiency virus infection or acquired immune deficiency syndrome'] },
    ]);
    timed('32 KiB of near misses, a 92-character phrase among the terms', () => assert.deepEqual(scan('ahiv '.repeat(6500), long, 'f'), []));
    timed('32 KiB of ordinary words, the same terms', () => assert.deepEqual(scan('archive '.repeat(4000), long, 'f'), []));
    assert.equal(redact('Tested: HIV. Diagnosed with human-immunodeficiency virus infection or acquired immune deficiency syndrome!', long, 'f').value, 'Tested: [redacted]. [redacted]!');
    // Two thousand phrases sharing their first words: the shared words are read once, not per phrase.
    const alike = compileDetectors(
      Array.from({ length: 4 }, (_, d) => ({ id: `d${d}`, label: 'D', kind: 'keywords' as const, terms: Array.from({ length: 500 }, (_, i) => `sexually transmitted disease ${d * 500 + i}`) })),
    );
    timed('32 KiB of the shared beginning, 2,000 phrases', () => assert.deepEqual(scan('sexually transmitted disease  '.repeat(1100), alike, 'f'), []));
    assert.deepEqual(scan('note: sexually-transmitted disease 1234.', alike, 'f').map((x) => x.reason), ['detector:d2']);
    assert.deepEqual(scan('sexually transmitted disease 12345', alike, 'f'), [], 'a longer number is another word');
  });

  it('redact the original characters of accented matches', () => {
    assert.equal(redact('Patient: Chimiothérapie!', detectors, 'f').value, 'Patient: [redacted]!');
    assert.equal(redact('Patient: Chimiothe\u0301rapie!', detectors, 'f').value, 'Patient: [redacted]!');
    assert.equal(redact('💊 HIV 💊', detectors, 'f').value, '💊 [redacted] 💊');
  });

  it('name each detector that matched, once per field', () => {
    const d = compileDetectors([
      { id: 'a', label: 'A', kind: 'keywords', terms: ['hiv'] },
      { id: 'b', label: 'B', kind: 'keywords', terms: ['HIV', 'cancer'] },
    ]);
    assert.deepEqual(scan('hiv, cancer and hiv', d, 'note'), [
      { field: 'note', reason: 'detector:a' },
      { field: 'note', reason: 'detector:b' },
    ]);
  });
});

describe('regex detectors', () => {
  it('find national id formats', () => {
    assert.ok(has('ssn 123-45-6789', 'detector:us-ssn'));
    assert.equal(has('ssn 123-45-67890', 'detector:us-ssn'), false);
    assert.ok(has('NI: ab123456c', 'detector:uk_nino'), 'the i flag');
    assert.ok(has('NI: AB123456C', 'detector:uk_nino'));
    assert.equal(has('NI: DA123456C', 'detector:uk_nino'), false);
  });

  it('redact every match', () => {
    assert.equal(redact('123-45-6789 and 987-65-4321.', detectors, 'f').value, '[redacted] and [redacted].');
  });

  it('accept the patterns teams find in references, and find what they describe', () => {
    const samples: [string, string][] = [
      [String.raw`\b[12]\s?\d{2}\s?(0[1-9]|1[0-2])\s?(\d{2}|2A|2B)\s?\d{3}\s?\d{3}\s?\d{2}\b`, 'NIR: 1 85 05 78 006 084 36'], // French INSEE
      [String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`, 'from bob.smith+crm@mail.example.org today'],
      [String.raw`\b[A-Z]{2}\d{2}( ?[A-Z0-9]{4}){2,7}( ?[A-Z0-9]{1,4})?\b`, 'IBAN DE89 3704 0044 0532 0130 00'],
      [String.raw`\b(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\b`, 'ip=192.168.0.17'],
      [String.raw`patient\s*id:?\s*\d+`, 'Patient ID: 0042917'],
      [String.raw`(?<area>\d{3})-\d{2}-\d{4}`, '123-45-6789'],
      [String.raw`(?P<area>\d{3})-\d{2}-\d{4}`, '123-45-6789'],
      [String.raw`\Qa.b`, 'x a.b y'],
      [String.raw`\d{3}\s\d{2}\s\d{4}`, 'ssn 123\u00a045\u00a06789'],
      [String.raw`\p{Lu}{2}\d{6}`, 'ÉA123456'],
      [String.raw`[^\s@]+@example\.org`, 'x bob@example.org'],
    ];
    for (const [pattern, text] of samples) {
      const d = compileDetectors([{ id: 'p', label: 'P', kind: 'regex', pattern, flags: 'i' }]);
      assert.deepEqual(scan(text, d, 'f'), [{ field: 'f', reason: 'detector:p' }], pattern);
    }
  });

  it('read the JavaScript spellings of escapes as RE2 writes them', () => {
    const samples: [string, string, string][] = [
      [String.raw`caf\u00e9`, 'un café', 'un cafe'],
      [String.raw`\u{1F48A}\d`, 'pill 💊3', 'pill 3'],
      [String.raw`\uD83D\uDC8A\d`, 'pill 💊3', 'pill 3'],
      [String.raw`\p{Letter}\d{6}`, 'é123456', '_123456'],
      [String.raw`\p{Script=Greek}\d{6}`, 'λ123456', 'l123456'],
      [String.raw`\p{gc=Lu}\d{6}`, 'Q123456', 'q123456'],
      [String.raw`\p{Script_Extensions=Greek}\d{6}`, 'λ123456', 'l123456'],
      [String.raw`\p{ID_Start}\d{6}`, 'é123456', '_123456'],
      [String.raw`\\u0041`, String.raw`\u0041`, 'A'],
      [String.raw`a\cJb`, 'a\nb', 'acJb'],
    ];
    for (const [pattern, yes, no] of samples) {
      const d = compileDetectors([{ id: 'p', label: 'P', kind: 'regex', pattern }]);
      assert.equal(scan(yes, d, 'f').length, 1, `${pattern} in ${yes}`);
      assert.equal(scan(no, d, 'f').length, 0, `${pattern} in ${no}`);
    }
  });

  it('see full-width digits and look through characters that show nothing, and redact the original characters', () => {
    for (const t of ['ssn １２３-４５-６７８９', 'ssn 123\u200b-45-6789', 'ssn 𝟏𝟐𝟑-𝟒𝟓-𝟔𝟕𝟖𝟗', 'ssn ①②③-45-6789']) assert.ok(has(t, 'detector:us-ssn'), JSON.stringify(t));
    assert.equal(redact('ssn: １２３-４５-６７８９, 💊 123\u00ad-45-6789!', detectors, 'f').value, 'ssn: [redacted], 💊 [redacted]!');
  });

  it('refuse what RE2 cannot run, patterns that match empty text, and syntax errors, saying why', () => {
    const refused: [string, RegExp][] = [
      [String.raw`(a)\1`, /escape sequence: `\\1`.*RE2 syntax/],
      [String.raw`(?<x>a)\k<x>`, /escape sequence/i],
      ['(?=a)a', /Perl syntax: `\(\?=`/],
      ['(?<!a)b', /named capture/i],
      ['a{1001}', /repeat count/i],
      ['a?', /empty/],
      [String.raw`\b`, /empty/],
      ['^|x', /empty/],
      [String.raw`[\p{ID_Start}\s]?`, /empty/],
      [String.raw`#[\x{100}-\p{sc=Grek}]`, /escape sequence: `\\p`.*no end of a range/i],
      [String.raw`#[a-\s]`, /escape sequence: `\\s`.*no end of a range/i],
      [String.raw`\p{Klingon}`, /character class range/i],
      ['x'.repeat(501), /at most 500/],
      ['(', /missing closing \)/i],
      ['[a-', /missing closing \]/i],
      ['a{2,1}', /repeat count/i],
      ['a)', /unexpected \)/i],
      ['{2}', /missing argument/i],
      ['\\', /trailing backslash/i],
    ];
    for (const [pattern, why] of refused) rejects([{ id: 'bad', label: 'Bad', kind: 'regex', pattern }], 'detectors.bad.pattern', why);
  });

  it('use Unicode properties at most forty times in all of a team\'s patterns, and those RE2 does not have at most ten', () => {
    const scripts = ['Grek', 'Latn', 'Cyrl', 'Arab', 'Hebr', 'Deva', 'Thai', 'Hani', 'Hira'];
    const pattern = (names: string[]) => `(?:${names.map((n) => String.raw`\p{scx=${n}}`).join('|')})\\d{6}`;
    // Nine, and a tenth \P{scx=Grek}: each use counts. \p{Greek} is RE2's own, \p{Lower} RE2's Lowercase.
    const ten = [pattern(scripts.slice(0, 5)), pattern(scripts.slice(5)) + String.raw`|\P{scx=Grek}\p{Greek}\p{Lower}\d{6}`];
    const detectors = (patterns: string[]) => patterns.map((p, k) => ({ id: `p${k}`, label: 'P', kind: 'regex', pattern: p }));
    compileDetectors(detectors(ten) as DetectorDefinition[]);
    rejects(detectors([...ten, String.raw`\p{scx=Grek}\d{6}`]), 'detectors.p2.pattern', /at most 10 times/);
    rejects(detectors([String.raw`[${String.raw`\P{IDC}`.repeat(11)}]\d`]), 'detectors.p0.pattern', /at most 10 times/);
    // Those RE2 has count too, forty in all, however they are spelled.
    const forty = [String.raw`\d[${String.raw`\P{L}`.repeat(20)}]`, String.raw`\d[${String.raw`\pN\p{Greek}`.repeat(10)}]`];
    compileDetectors(detectors(forty) as DetectorDefinition[]);
    rejects(detectors([...forty, String.raw`\d\p{Lu}`]), 'detectors.p2.pattern', /at most 40 times/);
  });

  it('refuse, when saved, patterns that take too long to compile', () => {
    // RE2 case-folds a range one code point at a time: ~120 wide ranges under ignore-case take
    // ~0.2–0.5 s to compile, each.
    const slow = Array.from({ length: 6 }, (_, k) => ({ id: `w${k}`, kind: 'regex', label: 'Wide', pattern: `#[${'B-\u{1E942}'.repeat(120)}]`, flags: 'i' }));
    assert.throws(
      () => compileDetectors(slow as DetectorDefinition[], { compileBudgetMs: 500 }),
      (e: unknown) => e instanceof HavenError && e.code === 'invalid_detector' && /^detectors\.w\d\.pattern$/.test(e.field!) && /too long to compile/.test(e.message),
    );
    compileDetectors([ssn, nino, health], { compileBudgetMs: 500 });
  });

  it('run in time linear in the text, whatever the pattern', () => {
    // Exponential for a backtracking engine: V8 takes longer than a test run on 40 characters.
    const redos = compileDetectors([{ id: 'r', label: 'R', kind: 'regex', pattern: '(a+)+$' }, { id: 's', label: 'S', kind: 'regex', pattern: String.raw`(\w+\s?)+x` }]);
    const hostile = 'a'.repeat(32 * 1024) + '!';
    timed('(a+)+$ and (\\w+\\s?)+x on 32 KiB of "a", scan', () => assert.deepEqual(scan(hostile, redos, 'f'), []));
    timed('the same, redact', () => assert.equal(redact(hostile, redos, 'f').value, hostile));
    // At the program-size limit, a pattern that keeps ~500 threads alive on every character of text that matches.
    const widest = compileDetectors([{ id: 'w', label: 'W', kind: 'regex', pattern: '(?:a|b)*a(?:a|b){495}' }]);
    let seed = 7;
    const ab = Array.from({ length: 32 * 1024 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) & 1024 ? 'a' : 'b')).join('');
    timed('the widest pattern allowed, 32 KiB that matches, scan', () => assert.equal(scan(ab, widest, 'f').length, 1));
    timed('the same, redact', () => assert.match(String(redact(ab, widest, 'f').value), /\[redacted\]/));
  });

  it('redact in bounded time where each search reads to the end of the text, and leave nothing of a match', () => {
    // Every search for the email alternative reads the rest of the text (all digits, dots and
    // dashes) before it settles on the SSN: searching match after match used to take seconds.
    const emailOrSsn = compileDetectors([
      { id: 'p', label: 'P', kind: 'regex', pattern: String.raw`\b(?:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|\d{3}-\d{2}-\d{4})\b`, flags: 'i' },
    ]);
    const ssns = '123-45-6789.'.repeat(2730);
    timed('email-or-SSN pattern, 32 KiB of SSNs, redact', () => assert.equal(redact(ssns, emailOrSsn, 'f').value, '[redacted]'));
    assert.equal(redact('SSNs 123-45-6789, 987-65-4321 and bob@example.com.', emailOrSsn, 'f').value, 'SSNs [redacted], [redacted] and [redacted].');
    const lookahead = compileDetectors([
      { id: 'x', label: 'X', kind: 'regex', pattern: 'x*y|x' },
      { id: 'd', label: 'D', kind: 'regex', pattern: String.raw`\d+z|\d` },
    ]);
    timed('x*y|x and \\d+z|\\d on 32 KiB, redact', () => {
      assert.equal(redact('x'.repeat(32 * 1024), lookahead, 'f').value, '[redacted]');
      assert.equal(redact('7'.repeat(32 * 1024), lookahead, 'f').value, '[redacted]');
    });
    // A character whose compatibility form is 18 characters (U+FDFA) stays as it is in the view.
    const arabic = compileDetectors([{ id: 'a', label: 'A', kind: 'regex', pattern: String.raw`\x{644}(?:[^z]*z)?` }]);
    timed('a pattern on 32 KiB of U+FDFA, redact', () => assert.equal(redact('\uFDFA'.repeat(10_900), arabic, 'f').value, '\uFDFA'.repeat(10_900)));
  });
});

describe('detector validation', () => {
  const ok = { label: 'L', kind: 'keywords', terms: ['x'] };
  it('names the detector and property at fault', () => {
    rejects([{ ...ok, id: 'Bad Id' }], 'detectors.0.id');
    rejects([{ ...ok, id: 'a' }, { ...ok, id: 'a' }], 'detectors.a.id', /share/);
    rejects([{ ...ok, id: 'a', label: '' }], 'detectors.a.label');
    rejects([{ ...ok, id: 'a', kind: 'magic' }], 'detectors.a.kind');
    rejects([{ ...ok, id: 'a', terms: [] }], 'detectors.a.terms');
    rejects([{ ...ok, id: 'a', terms: ['ok', 42] }], 'detectors.a.terms.1');
    rejects([{ ...ok, id: 'a', terms: ['ok', ' -- '] }], 'detectors.a.terms.1', /no letter/);
    rejects([{ ...ok, id: 'a', terms: ['x'.repeat(101)] }], 'detectors.a.terms.0');
    rejects([{ id: 'r', label: 'R', kind: 'regex', pattern: 'abc', flags: 'g' }], 'detectors.r.flags');
    rejects([{ id: 'r', label: 'R', kind: 'regex', pattern: '' }], 'detectors.r.pattern');
    rejects([null], 'detectors.0.id');
    rejects(Array.from({ length: 51 }, (_, i) => ({ ...ok, id: `d${i}` })), 'detectors');
    const many = (i: number) => ({ ...ok, id: `k${i}`, terms: Array.from({ length: 500 }, (_, t) => `term${i}x${t}`) });
    rejects(Array.from({ length: 5 }, (_, i) => many(i)), 'detectors.k4.terms', /2000 terms/);
    const heavy = (i: number) => ({ id: `p${i}`, label: 'P', kind: 'regex', pattern: String.raw`\d{1,100}x` }); // RE2 program size 202 each
    assert.doesNotThrow(() => compileDetectors(Array.from({ length: 2 }, (_, i) => heavy(i)) as DetectorDefinition[]));
    rejects(Array.from({ length: 3 }, (_, i) => heavy(i)), 'detectors.p2.pattern', /Together.*program size 606, at most 500/);
  });

  it('refuses detectors that would match the redaction marker', () => {
    rejects([{ id: 'r', label: 'R', kind: 'regex', pattern: '[a-z]{4,8}' }], 'detectors.r.pattern', /redaction marker/);
    rejects([{ id: 'k', label: 'K', kind: 'keywords', terms: ['x', 'REDACTED'] }], 'detectors.k.terms.1', /redaction marker/);
  });

  it('accepts no detectors at all (payment cards are always checked)', () => {
    const none = compileDetectors([]);
    assert.deepEqual(scan({ a: 'hiv 123-45-6789' }, none, ''), []);
    assert.deepEqual(scan({ a: '4111111111111111' }, none, ''), [{ field: 'a', reason: 'payment_card' }]);
  });
});
