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

/**
 * Values all of one length (blind indexes, keyed hashes) as ONE parameter, cut apart in SQL by
 * their place `n` (from 1, `WITH ORDINALITY`): `substring($3::bytea FROM (n - 1) * $4 + 1 FOR $4)`
 * with `width` as $4. No offsets to send.
 */
export function packSameLength(values: readonly Buffer[]): { bytes: Buffer; width: number } {
  const width = values[0]?.length ?? 0;
  if (values.some((v) => v.length !== width)) throw new TypeError('packSameLength needs values of one length');
  return { bytes: Buffer.concat(values, width * values.length), width };
}
