/**
 * Many bytea values as ONE query parameter: the values end to end, with each one's offset and
 * length. node-postgres sends a lone Buffer in binary but an array of Buffers as escaped hex text
 * (over twice the bytes, built element by element), so bulk statements carry their bytea columns
 * packed and cut them apart in SQL:
 *
 *   SELECT … substring($7::bytea FROM o + 1 FOR l) … FROM unnest(…, $8::int[], $9::int[]) AS x(…, o, l)
 *
 * (The PGlite engine sends a lone Buffer in binary too, and a bytea[] as the same hex text.)
 */
export interface PackedBytea {
  bytes: Buffer;
  offsets: number[];
  lengths: number[];
}

export function packBytea(values: readonly Buffer[]): PackedBytea {
  const offsets: number[] = new Array(values.length);
  const lengths: number[] = new Array(values.length);
  let at = 0;
  values.forEach((value, i) => {
    offsets[i] = at;
    lengths[i] = value.length;
    at += value.length;
  });
  return { bytes: Buffer.concat(values, at), offsets, lengths };
}
