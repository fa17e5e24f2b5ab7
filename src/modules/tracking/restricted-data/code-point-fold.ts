/**
 * Folding text one code point at a time — what keyword detectors and the team patterns'
 * compatibility view both do — with a map back to the original, so that a match in the folded
 * text can be redacted as the characters it came from.
 */

/** `fold` of single code points, remembered (up to 65,536 of them: text repeats its characters). */
export function rememberedFold(fold: (cp: number) => string): (cp: number) => string {
  const seen = new Map<number, string>();
  return (cp) => {
    let f = seen.get(cp);
    if (f === undefined) {
      f = fold(cp);
      if (seen.size < 65_536) seen.set(cp, f);
    }
    return f;
  };
}

/**
 * Where each character of `s` folded by `fold` (ASCII left one character each) came from:
 * folded[i] comes from s[from[i] .. to[i]).
 */
export function foldMap(s: string, fold: (cp: number) => string): { from: number[]; to: number[] } {
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    const n = cp < 128 ? 1 : fold(cp).length;
    for (let k = 0; k < n; k++) {
      from.push(i);
      to.push(i + w);
    }
    i += w;
  }
  return { from, to };
}
