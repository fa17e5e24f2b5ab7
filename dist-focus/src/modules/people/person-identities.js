import { randomUUID } from 'node:crypto';
import { packSameLength } from '../../platform/db/packed-bytea.js';
import { identityIndex, openText, where } from './sealed-fields.js';
/**
 * The person whose identity of `kind` is exactly `value` (normalised), if any: blind-index
 * candidates verified by decrypting. An identity has one holder per team (claims are locked
 * and checked), so this is the one-item form of `findIdentities`.
 */
export async function findIdentity(ctx, tx, teamId, kind, value) {
    return (await findIdentities(ctx, tx, teamId, [{ kind, value }])).get(`${kind}|${value}`);
}
/**
 * Bulk form of `findIdentity`: who holds each of these (kind, normalised value) identities, with
 * one index query and one key fetch for the whole list. Keys of the map are `kind|value`.
 */
export async function findIdentities(ctx, tx, teamId, wanted) {
    const found = new Map();
    if (wanted.length === 0)
        return found;
    const want = new Set(wanted.map((w) => `${w.kind}|${w.value}`));
    const pairs = new Map();
    for (const w of wanted) {
        const index = await identityIndex(ctx, tx, teamId, w.kind, w.value);
        pairs.set(`${w.kind}|${index.toString('hex')}`, { kind: w.kind, index });
    }
    // One probe of the (team, kind, index) b-tree per pair: the look-up costs the same in a team of
    // a thousand identities as in one of millions. The probes are spelled out (LATERAL … OFFSET 0,
    // which the planner may not turn into a join): as a plain join, a planner without statistics
    // (PGlite never analyzes on its own) hashed every identity of the team for each look-up.
    // Kinds hold no comma; the indexes, all one length, travel as one packed value (packed-bytea.ts).
    const indexes = packSameLength([...pairs.values()].map((x) => x.index));
    const mark = ctx.keyring.memoryMark();
    const candidates = await tx.query(`SELECT p.id, p.person_id, p.kind, p.value_sealed
       FROM unnest(string_to_array($2, ',')) WITH ORDINALITY AS w(kind, n)
       CROSS JOIN LATERAL (
         SELECT id, person_id, kind, value_sealed FROM person_identities
          WHERE team_id = $1 AND kind = w.kind AND blind_index = substring($3::bytea FROM (w.n::int - 1) * $4::int + 1 FOR $4::int) OFFSET 0) AS p`, [teamId, [...pairs.values()].map((x) => x.kind).join(','), indexes.bytes, indexes.width]);
    const toOpen = candidates.rows.filter((c) => ctx.openedIdentities.valueOf(c.id, c.value_sealed) === undefined);
    const keys = await ctx.keyring.subjectKeysFor(tx, teamId, toOpen.map((c) => c.person_id), { create: false });
    // Kept for later look-ups only if no erasure could have been missed meanwhile (keyring.mayRemember).
    const remember = ctx.keyring.mayRemember(mark);
    const opened = new Map();
    for (const c of toOpen) {
        const key = keys.get(c.person_id);
        if (!key)
            continue;
        const sealed = Buffer.from(c.value_sealed);
        const value = ctx.keyring.openWith(key, where(teamId, 'person_identities', 'value', c.id), sealed).toString('utf8');
        opened.set(c.id, value);
        if (remember)
            ctx.openedIdentities.remember(teamId, c.id, sealed, value);
    }
    for (const c of candidates.rows) {
        const value = opened.get(c.id) ?? ctx.openedIdentities.valueOf(c.id, c.value_sealed);
        if (value !== undefined && want.has(`${c.kind}|${value}`))
            found.set(`${c.kind}|${value}`, c.person_id);
    }
    return found;
}
/** Serialise concurrent claims of the same identities in a team (sorted: no lock-order deadlock). */
export async function lockIdentities(tx, teamId, keys) {
    if (keys.length === 0)
        return;
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k ORDER BY k`, [
        keys.map((k) => `haven-identity:${teamId}:${k}`).sort(),
    ]);
}
/** These people's identities (of one kind, or all), decrypted, in list order. */
export async function identitiesOf(ctx, tx, teamId, personIds, kind) {
    const r = await tx.query(`SELECT id, person_id, kind, value_sealed, position FROM person_identities
      WHERE team_id = $1 AND person_id = ANY($2::uuid[]) AND ($3::text IS NULL OR kind = $3)
      ORDER BY position, created_at, id`, [teamId, personIds, kind ?? null]);
    const out = [];
    for (const row of r.rows) {
        const value = await openText(ctx, tx, teamId, row.person_id, 'person_identities', 'value', row.id, row.value_sealed);
        if (value !== null)
            out.push({ id: row.id, personId: row.person_id, kind: row.kind, value, position: row.position });
    }
    return out;
}
export async function countIdentities(tx, teamId, personId, kind) {
    const r = await tx.query(`SELECT count(*) AS n FROM person_identities WHERE team_id = $1 AND person_id = $2 AND kind = $3`, [teamId, personId, kind]);
    return Number(r.rows[0].n);
}
/** How many identities of each kind these people hold together (a value is held by one person at most). */
export async function identityCountsOf(tx, teamId, personIds) {
    const r = await tx.query(`SELECT kind, count(*)::int AS n FROM person_identities WHERE team_id = $1 AND person_id = ANY($2::uuid[]) GROUP BY kind`, [teamId, personIds]);
    return new Map(r.rows.map((row) => [row.kind, Number(row.n)]));
}
export async function addIdentity(ctx, tx, teamId, personId, kind, value, position) {
    const id = randomUUID();
    const sealed = await ctx.keyring.sealForSubject(tx, personId, where(teamId, 'person_identities', 'value', id), Buffer.from(value, 'utf8'));
    await tx.query(`INSERT INTO person_identities (team_id, id, person_id, kind, value_sealed, blind_index, position) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [teamId, id, personId, kind, sealed, await identityIndex(ctx, tx, teamId, kind, value), position]);
}
//# sourceMappingURL=person-identities.js.map