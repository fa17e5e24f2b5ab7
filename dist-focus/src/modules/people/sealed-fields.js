import { INDEX_BITS, namePrefixes } from '../../platform/crypto/blind-index.js';
const FIELD_OF_COLUMN = { name_sealed: 'name', company_sealed: 'company', properties_sealed: 'properties' };
/** The associated data a sealed value is bound to: its team, table, column and row. */
export function where(teamId, table, column, rowId) {
    return { teamId, table, column, rowId };
}
export async function sealText(ctx, tx, teamId, personId, column, value) {
    return ctx.keyring.sealForSubject(tx, personId, where(teamId, 'people', column, personId), Buffer.from(value, 'utf8'));
}
export async function openText(ctx, tx, teamId, personId, table, column, rowId, sealed) {
    if (!sealed)
        return null;
    const plain = await ctx.keyring.openForSubject(tx, personId, where(teamId, table, column, rowId), Buffer.from(sealed));
    return plain ? plain.toString('utf8') : null;
}
/** Each kind's index field, spelled once (ingest indexes every event's ids: no name built per call). */
const IDENTITY_FIELDS = {
    email: 'person_identities.email',
    phone: 'person_identities.phone',
    external_id: 'person_identities.external_id',
    anonymous_id: 'person_identities.anonymous_id',
};
export async function identityIndex(ctx, tx, teamId, kind, value) {
    return ctx.keyring.blindIndexes.index(tx, teamId, IDENTITY_FIELDS[kind], value, INDEX_BITS.identity);
}
export async function nameTokens(ctx, tx, teamId, name) {
    if (!name)
        return [];
    const tokens = [];
    for (const prefix of namePrefixes(name))
        tokens.push(await ctx.keyring.blindIndexes.index(tx, teamId, 'people.name', prefix, INDEX_BITS.nameToken));
    return tokens;
}
//# sourceMappingURL=sealed-fields.js.map