import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RE2JS } from 're2js';
import { fromJavaScriptSpellings } from './javascript-spellings.js';

/** Whether the rewritten pattern matches `text` somewhere, as RE2 runs it. */
const re2 = (pattern: string, text: string) => RE2JS.compile(fromJavaScriptSpellings(pattern)).test(text);

describe('JavaScript spellings in team patterns', () => {
  it('mean in RE2 what they mean in JavaScript', () => {
    const cases: [string, string[], string[]][] = [
      [String.raw`caf\u00e9`, ['café'], ['cafe']],
      [String.raw`\uD83D\uDC8A`, ['💊'], ['\u{1F48B}']],
      [String.raw`\u{1F48A}`, ['💊'], ['💋']],
      [String.raw`a\cJb`, ['a\nb'], ['acJb']],
      [String.raw`^\p{Letter}$`, ['é'], ['1']],
      [String.raw`^\p{Cased_Letter}$`, ['Q'], ['ª']],
      [String.raw`^\p{cntrl}$`, ['\u0007'], ['a']],
      [String.raw`^\p{gc=Lu}$`, ['Q'], ['q']],
      [String.raw`^\p{Script=Greek}$`, ['λ'], ['l']],
      [String.raw`^\p{ASCII}$`, ['~'], ['é']],
      [String.raw`^[\p{ASCII}é]$`, ['~', 'é'], ['è']],
      [String.raw`^\P{ASCII}$`, ['é'], ['~']],
      // JavaScript's \s: Unicode spaces, line separators and the BOM too; RE2's alone is ASCII.
      [String.raw`^\d\s\d$`, ['1 2', '1\v2', '1\u00a02', '1\u20282', '1\u16802', '1\u30002', '1\ufeff2'], ['1_2', '1\u200b2']],
      [String.raw`^[\s-]$`, ['\u00a0', '-'], ['_']],
      [String.raw`^\S$`, ['a'], ['\u00a0', '\v']],
      [String.raw`^[\b]$`, ['\b'], ['b']],
      [String.raw`^a[^]]b$`, ['a-b', 'a💊b'], ['a]b']], // RE2's reading: not "]"
      [String.raw`^a.b$`, ['a-b', 'a💊b'], ['a\nb', 'a\rb', 'a\u2028b', 'a\u2029b']],
      [String.raw`(?s)^a.b$`, ['a\rb', 'a\nb'], ['ab']],
      // The flag from where it is set to the end of its group, or inside (?s:…) only.
      [String.raw`^(?s:a.b)|x.y$`, ['a\rb'], ['x\ry']],
      [String.raw`^(?:(?s)a.b)x.y$`, ['a\rbx-y'], ['a\rbx\ry']],
      [String.raw`(?s)^a(?-s:.)b.$`, ['a-b\n'], ['a\nb\n']],
      [String.raw`^x\(?s.y$`, ['xs-y'], ['xs\ry']],
      [String.raw`^[(?s]x.y$`, ['sx-y'], ['sx\ry']],
      [String.raw`^(?s-s)a.b$`, ['a-b'], ['a\rb']], // set, then cleared
      [String.raw`^(?iiiiiiiiiiiiiiis)a.b$`, ['a\rb'], ['ab']],
      [String.raw`^[.]$`, ['.'], ['a']],
      [String.raw`^[\P{ASCII}\d]$`, ['é', '7'], ['a']],
      // Properties RE2 spells otherwise or does not have, read off JavaScript's own tables.
      [String.raw`^\p{Script_Extensions=Greek}$`, ['λ', '\u0342'], ['l']],
      [String.raw`^\p{sc=Grek}+$`, ['λόγος'], ['\u0342']],
      [String.raw`^\p{Emoji_Presentation}$`, ['💊'], ['#']],
      [String.raw`^[\S\s]$`, ['a', ' ', '\u00a0'], ['ab']],
      [String.raw`^[\S]$`, ['a'], ['\u00a0', '\u2028']],
      [String.raw`^\p{Cs}$`, ['\ud800', '\udfff'], ['💊']],
      [String.raw`^[]a]$`, [']', 'a'], ['b']], // as RE2 reads a leading "]"
      [String.raw`^[[:digit:]\s]$`, ['7', '\u00a0'], ['x']],
      [String.raw`^\\u0041$`, [String.raw`\u0041`], ['A']],
      [String.raw`^\Q\u0041\s.\E$`, [String.raw`\u0041\s.`], ['A s.']], // RE2's quoting is left alone
      [String.raw`^\Qa.b`, ['a.b'], ['axb']], // and closed when the pattern ends inside it
    ];
    for (const [pattern, yes, no] of cases) {
      for (const t of yes) assert.equal(re2(pattern, t), true, `${pattern} should match ${JSON.stringify(t)} (${fromJavaScriptSpellings(pattern)})`);
      for (const t of no) assert.equal(re2(pattern, t), false, `${pattern} should not match ${JSON.stringify(t)} (${fromJavaScriptSpellings(pattern)})`);
    }
  });

  it('read every class escape as JavaScript does, code point by code point', () => {
    const escapes = [String.raw`\p{Lower}`, String.raw`\P{Alpha}`, String.raw`\p{sc=Grek}`, String.raw`\p{L}`, String.raw`\P{Lu}`, String.raw`\p{Nd}`, String.raw`\p{Emoji}`, String.raw`\p{Alphabetic}`, String.raw`\p{scx=Deva}`, String.raw`\P{Script=Han}`, String.raw`\s`, String.raw`[\S\d]`, String.raw`[^\p{L}\s]`, String.raw`\p{Any}`];
    // Every 7th code point, and each end of the surrogates and of the planes.
    const codePoints = [0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xffff, 0x10000, 0x10ffff];
    for (let cp = 0; cp <= 0x10ffff; cp += 7) codePoints.push(cp);
    for (const escape of escapes) {
      const js = new RegExp(`^(?:${escape})$`, 'u');
      const rewritten = RE2JS.compile(`^(?:${fromJavaScriptSpellings(escape)})$`);
      const differ = codePoints.filter((cp) => js.test(String.fromCodePoint(cp)) !== rewritten.test(String.fromCodePoint(cp)));
      assert.deepEqual(differ, [], escape);
    }
  });

  it('write the properties RE2 has under its own names, and only those JavaScript knows', () => {
    assert.equal(fromJavaScriptSpellings(String.raw`\p{Letter}\P{gc=Lu}\p{Script=Greek}\p{Lower}\p{space}`), String.raw`\p{L}\P{Lu}\p{Greek}\p{Lowercase}\p{White_Space}`);
  });

  it('leave RE2 spellings as they are', () => {
    for (const p of [String.raw`\p{sc=Lu}`, String.raw`\p{gc=Greek}`, String.raw`\p{constructor}`, String.raw`\x{E9}`, String.raw`\pL\p{Greek}`, String.raw`(?P<id>\d{3})`, String.raw`(?i)abc`, String.raw`[\d\-]`, String.raw`\A\z`]) {
      assert.equal(fromJavaScriptSpellings(p), p);
    }
  });
});
