export function packBytea(values) {
    const offsets = new Array(values.length);
    const lengths = new Array(values.length);
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
export function packSameLength(values) {
    const width = values[0]?.length ?? 0;
    if (values.some((v) => v.length !== width))
        throw new TypeError('packSameLength needs values of one length');
    return { bytes: Buffer.concat(values, width * values.length), width };
}
//# sourceMappingURL=packed-bytea.js.map