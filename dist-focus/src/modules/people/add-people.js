import { randomUUID } from 'node:crypto';
import { HavenError } from '../../platform/http/errors.js';
import { getPerson } from './get-person.js';
import { IDENTITY_FIELDS, IDENTITY_KINDS, normaliseIdentity } from './identities.js';
import { findIdentities, lockIdentities } from './person-identities.js';
import { checkProperties } from './properties.js';
import { identityIndex, nameTokens, where } from './sealed-fields.js';
export async function addPerson(ctx, tx, teamId, input) {
    const [id] = await addPeople(ctx, tx, teamId, [input], () => '');
    return getPerson(ctx, tx, teamId, id);
}
/**
 * Add many people in one go (imports, and the one-person create): identities normalised and
 * checked for duplicates within the batch and against the team (index candidates decrypted),
 * subject keys made in one insert, every table written with one multi-row insert.
 * `fieldPrefix(i)` names input i in errors (e.g. "people.3.").
 */
export async function addPeople(ctx, tx, teamId, inputs, fieldPrefix = (i) => `people.${i}.`) {
    const ids = inputs.map(() => randomUUID());
    const identities = [];
    const claimed = new Map();
    for (const [i, input] of inputs.entries()) {
        for (const kind of IDENTITY_KINDS) {
            const field = IDENTITY_FIELDS[kind];
            for (const [j, raw] of (input[field] ?? []).entries()) {
                const at = `${fieldPrefix(i)}${field}.${j}`;
                const value = normaliseIdentity(kind, raw, at);
                const key = `${kind}|${value}`;
                if (claimed.has(key))
                    throw new HavenError('duplicate_identity', 409, 'The same identity is listed twice.', at);
                claimed.set(key, at);
                identities.push({ person: i, kind, value, position: j, index: await identityIndex(ctx, tx, teamId, kind, value) });
            }
        }
        if (input.properties)
            checkProperties(input.properties, `${fieldPrefix(i)}properties`);
    }
    await lockIdentities(tx, teamId, [...claimed.keys()]);
    const held = await findIdentities(ctx, tx, teamId, identities);
    for (const [claim, at] of claimed) {
        if (held.has(claim))
            throw new HavenError('duplicate_identity', 409, 'Another person in this team already has this identity.', at);
    }
    const keys = await ctx.keyring.subjectKeysFor(tx, teamId, ids, { create: true });
    const sealText = (personId, table, column, rowId, text) => ctx.keyring.sealWith(keys.get(personId), where(teamId, table, column, rowId), Buffer.from(text, 'utf8'));
    await tx.query(`INSERT INTO people (team_id, id, name_sealed, company_sealed, properties_sealed)
     SELECT $1, id, n, c, p FROM unnest($2::uuid[], $3::bytea[], $4::bytea[], $5::bytea[]) AS t(id, n, c, p)`, [
        teamId,
        ids,
        inputs.map((x, i) => (x.name ? sealText(ids[i], 'people', 'name_sealed', ids[i], x.name) : null)),
        inputs.map((x, i) => (x.company ? sealText(ids[i], 'people', 'company_sealed', ids[i], x.company) : null)),
        inputs.map((x, i) => sealText(ids[i], 'people', 'properties_sealed', ids[i], JSON.stringify(x.properties ?? {}))),
    ]);
    if (identities.length > 0) {
        const identityIds = identities.map(() => randomUUID());
        await tx.query(`INSERT INTO person_identities (team_id, id, person_id, kind, value_sealed, blind_index, position)
       SELECT $1, id, p, k, v, b, n FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::bytea[], $6::bytea[], $7::int[]) AS t(id, p, k, v, b, n)`, [
            teamId,
            identityIds,
            identities.map((x) => ids[x.person]),
            identities.map((x) => x.kind),
            identities.map((x, n) => sealText(ids[x.person], 'person_identities', 'value', identityIds[n], x.value)),
            identities.map((x) => x.index),
            identities.map((x) => x.position),
        ]);
    }
    const tokenPeople = [];
    const tokens = [];
    for (const [i, input] of inputs.entries()) {
        for (const token of await nameTokens(ctx, tx, teamId, input.name ?? null)) {
            tokenPeople.push(ids[i]);
            tokens.push(token);
        }
    }
    if (tokens.length > 0) {
        await tx.query(`INSERT INTO person_name_tokens (team_id, token, person_id) SELECT $1, t, p FROM unnest($2::bytea[], $3::uuid[]) AS x(t, p) ON CONFLICT DO NOTHING`, [teamId, tokens, tokenPeople]);
    }
    return ids;
}
//# sourceMappingURL=add-people.js.map