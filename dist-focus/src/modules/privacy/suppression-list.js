import { packSameLength } from '../../platform/db/packed-bytea.js';
import { scopeToTeam } from '../../platform/db/with-team.js';
import { insertLedgerRows, normaliseEntry, openErasureLedger, } from '../../platform/erasure-ledger/index.js';
import { teamExists } from '../accounts/index.js';
import { normaliseIdentity } from '../people/index.js';
/** Each kind's index field, spelled once (ingest hashes every event's ids: no name built per call). */
const SUPPRESSION_FIELDS = {
    email: 'suppression.email',
    phone: 'suppression.phone',
    external_id: 'suppression.external_id',
    anonymous_id: 'suppression.anonymous_id',
};
/**
 * The objection list: identities whose events are dropped at ingest and who must not be sent
 * marketing email. Keyed by a full-length HMAC of the normalised identity under a per-team key
 * (not the truncated blind index, whose deliberate coincidences would silence other people), so the
 * list never holds the value and survives the person's erasure without keeping their data.
 */
export async function identityHash(keyring, tx, teamId, identity) {
    return keyring.blindIndexes.index(tx, teamId, SUPPRESSION_FIELDS[identity.kind], identity.value, 256);
}
export function identitiesOf(person) {
    return [
        ...person.emails.map((value) => ({ kind: 'email', value })),
        ...person.phones.map((value) => ({ kind: 'phone', value })),
        ...person.externalIds.map((value) => ({ kind: 'external_id', value })),
        ...person.anonymousIds.map((value) => ({ kind: 'anonymous_id', value })),
    ];
}
/**
 * Add identities to the list (already-listed ones keep their first reason, but an unsubscribe
 * becomes an objection or erasure). Returns how many were new or strengthened. Each new one is written to the erasure ledger in `tx`, before it commits (file first, then
 * the database copy), so restoring a backup taken before it cannot lose it — a crash in between
 * can only leave an identity suppressed that the database does not list, never the reverse.
 */
export async function suppress(ctx, tx, teamId, identities, reason, source) {
    const at = new Date().toISOString();
    const added = [];
    for (const identity of identities) {
        const hash = await identityHash(ctx.keyring, tx, teamId, identity);
        if (await insertSuppression(tx, teamId, identity.kind, hash, reason, source, at)) {
            added.push({ kind: 'suppression', teamId, identityKind: identity.kind, identity: hash.toString('hex'), reason, source, at });
        }
    }
    await openErasureLedger(ctx.config).appendAll(added, tx);
    return added.length;
}
/** Add one identity known only by its hash (an unsubscribe link carries no address); ledgered like `suppress`. */
export async function suppressHash(ctx, tx, teamId, kind, hash, reason, source) {
    const at = new Date().toISOString();
    if (!(await insertSuppression(tx, teamId, kind, hash, reason, source, at)))
        return false;
    await openErasureLedger(ctx.config).append({ kind: 'suppression', teamId, identityKind: kind, identity: hash.toString('hex'), reason, source, at }, tx);
    return true;
}
/**
 * The row, stamped with the ledger entry's time so the two agree (and a restored row matches).
 * An identity listed for an unsubscribe takes a stronger reason (objection, erasure): the person's
 * link may undo an unsubscribe, not an objection. Otherwise the first reason stays. True when the
 * row was added or strengthened (and is then ledgered).
 */
async function insertSuppression(tx, teamId, kind, hash, reason, source, at) {
    const r = await tx.query(`INSERT INTO suppressions (team_id, kind, identity_hash, reason, source, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (team_id, kind, identity_hash) DO UPDATE SET reason = excluded.reason, source = excluded.source, created_at = excluded.created_at
      WHERE suppressions.reason = 'unsubscribe' AND excluded.reason <> 'unsubscribe'`, [teamId, kind, hash, reason, source, at]);
    return r.rowCount > 0;
}
/**
 * The suppression state of each identity, in order. One query for the lot.
 */
export async function suppressionStates(keyring, tx, teamId, identities) {
    const rows = new Map((await listedAmong(keyring, tx, teamId, identities)).map((row) => [row.n, row]));
    return identities.map((identity, i) => {
        const row = rows.get(i);
        return { ...identity, suppressed: Boolean(row), reason: row?.reason ?? null, since: row ? row.created_at.toISOString() : null };
    });
}
/**
 * The team's suppression list, held until the transaction ends: `share` by ingest before it reads
 * the list (and by an identity edit before it extends an objection), `exclusive` by an objection
 * before it reads the person's identities. So an objection waits for the ingest transactions
 * that already passed the check, and sees every id they attached; ingest that checks later sees
 * the objection. Without it an id attached by an event in flight escaped the list for good.
 * Take it before any person's row lock (ingest does, and an objection takes none).
 */
export async function lockSuppressionList(tx, teamId, mode) {
    await tx.query(`SELECT ${mode === 'share' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(hashtextextended('haven-suppressions:' || $1, 0))`, [teamId]);
}
/** Which of these identities are suppressed, as `kind|value` keys. One query for the lot. */
export async function suppressedAmong(keyring, tx, teamId, identities) {
    const listed = new Set();
    for (const { n } of await listedAmong(keyring, tx, teamId, identities))
        listed.add(`${identities[n].kind}|${identities[n].value}`);
    return listed;
}
/**
 * The list's rows for those identities that are on it, each with its identity's place `n` (from
 * 0). One probe of the primary key (team, kind, hash) per identity, however long the list grows
 * (spelled out as in findIdentities, so no plan hashes the team's whole list instead).
 */
async function listedAmong(keyring, tx, teamId, identities) {
    if (identities.length === 0)
        return [];
    const hashes = [];
    for (const identity of identities)
        hashes.push(await identityHash(keyring, tx, teamId, identity));
    // Kinds hold no comma; the hashes, all one length, travel as one packed value (packed-bytea.ts).
    const packed = packSameLength(hashes);
    const r = await tx.query(`SELECT w.n::int - 1 AS n, s.reason, s.created_at
       FROM unnest(string_to_array($2, ',')) WITH ORDINALITY AS w(kind, n)
       CROSS JOIN LATERAL (
         SELECT reason, created_at FROM suppressions
          WHERE team_id = $1 AND kind = w.kind AND identity_hash = substring($3::bytea FROM (w.n::int - 1) * $4::int + 1 FOR $4::int) OFFSET 0) AS s`, [teamId, identities.map((i) => i.kind).join(','), packed.bytes, packed.width]);
    return r.rows;
}
/** The suppression state of each identity of a person, for their profile and their export. */
export function suppressionStateOf(keyring, tx, teamId, person) {
    return suppressionStates(keyring, tx, teamId, identitiesOf(person));
}
/**
 * Lift a suppression. Only the person (their unsubscribe link) or an operator (CLI) may: the app
 * role cannot delete from the list, so this runs as the owner, scoped to the team. The lift is
 * ledgered so that restoring a backup taken while the identity was suppressed does not bring the
 * suppression back: the database copy commits with the lift, the file line is written just after
 * — a crash in between can only leave the identity suppressed after a restore, never the reverse.
 * The lift is stamped after the suppression it removes, so replay orders the two correctly.
 */
export async function liftSuppression(ctx, teamId, kind, hash, 
/** Lift it only if it has this reason (an unsubscribe link undoes an unsubscribe, not an objection). */
onlyReason) {
    const lifted = await ctx.engine.ownerTransaction(async (tx) => {
        await scopeToTeam(tx, teamId);
        const r = await tx.query(`DELETE FROM suppressions WHERE team_id = $1 AND kind = $2 AND identity_hash = $3 AND ($4::text IS NULL OR reason = $4) RETURNING created_at`, [teamId, kind, hash, onlyReason ?? null]);
        const row = r.rows[0];
        if (!row)
            return null;
        const at = new Date(Math.max(Date.now(), row.created_at.getTime() + 1)).toISOString();
        const entry = normaliseEntry({ kind: 'suppression_lifted', teamId, identityKind: kind, identity: hash.toString('hex'), at });
        await insertLedgerRows(tx, [entry]);
        return entry;
    });
    if (lifted)
        await openErasureLedger(ctx.config).append(lifted);
    return lifted !== null;
}
/** Ledger replay (restore): put a suppression back, unless it is there or its team is not. */
export async function restoreSuppression(tx, entry) {
    if (!(await teamExists(tx, entry.teamId)))
        return false;
    return insertSuppression(tx, entry.teamId, entry.identityKind, Buffer.from(entry.identity, 'hex'), entry.reason, entry.source, entry.at);
}
/** Ledger replay (restore): remove a suppression that was lifted. `tx` is the owner's. */
export async function removeSuppression(tx, entry) {
    const r = await tx.query(`DELETE FROM suppressions WHERE team_id = $1 AND kind = $2 AND identity_hash = $3`, [entry.teamId, entry.identityKind, Buffer.from(entry.identity, 'hex')]);
    return r.rowCount > 0;
}
export function identityFromInput(kind, raw, field) {
    return { kind, value: normaliseIdentity(kind, raw, field) };
}
/** Why an identity (by its hash) is suppressed, or null when it is not. */
export async function suppressionReasonOf(tx, teamId, kind, hash) {
    const r = await tx.query(`SELECT reason FROM suppressions WHERE team_id = $1 AND kind = $2 AND identity_hash = $3`, [teamId, kind, hash]);
    return r.rows[0]?.reason ?? null;
}
//# sourceMappingURL=suppression-list.js.map