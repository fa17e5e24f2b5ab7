import { createHash, randomUUID } from 'node:crypto';
import { tenantTable } from '../db/tenant-table.js';
import { canonicalJson } from './canonical-json.js';
/**
 * The audit log (I6): per team, append-only, hash-chained. Each row holds its canonical JSON entry
 * and SHA-256(previous hash ‖ entry); the first row chains from 32 zero bytes. UPDATE, DELETE and
 * TRUNCATE are refused by triggers, and the app role is granted only SELECT and INSERT.
 * Entries name ids, never personal data in clear.
 */
export const auditSchema = {
    id: 'platform/0003_audit_log',
    sql: `
    CREATE TABLE audit_log (
      team_id uuid NOT NULL,
      seq bigint NOT NULL CHECK (seq > 0),
      id uuid NOT NULL,
      at timestamptz NOT NULL,
      actor_type text NOT NULL,
      actor_id text,
      action text NOT NULL,
      target_type text,
      target_id text,
      entry text NOT NULL,
      prev_hash bytea NOT NULL,
      hash bytea NOT NULL,
      PRIMARY KEY (team_id, seq)
    );
    CREATE INDEX audit_log_action ON audit_log (team_id, action, seq);
    CREATE INDEX audit_log_target ON audit_log (team_id, target_id, seq);
    ${tenantTable('audit_log', 'SELECT, INSERT')}
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $f$;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  `,
};
export const GENESIS = Buffer.alloc(32);
export function chainHash(prev, entry) {
    return createHash('sha256').update(prev).update(entry, 'utf8').digest();
}
/**
 * Append one event, in the caller's transaction (the action and its audit row commit together).
 * A per-team advisory lock orders concurrent writers so the chain never forks.
 */
export async function recordAudit(tx, event) {
    return (await recordAuditMany(tx, event.teamId, [event]))[0];
}
/**
 * Append several events of one team in order, with one lock, one read of the chain's end and one
 * insert: what a transaction of many changes (ingest's group of requests) records at once.
 */
export async function recordAuditMany(tx, teamId, events) {
    if (events.length === 0)
        return [];
    if (events.some((e) => e.teamId !== teamId))
        throw new Error('recordAuditMany: every event must be of the one team');
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('haven-audit:' || $1, 0))`, [teamId]);
    const last = await tx.query(`SELECT seq, hash, now() AS now FROM audit_log WHERE team_id = $1 ORDER BY seq DESC LIMIT 1`, [teamId]);
    const prev = last.rows[0];
    const clock = prev ? prev.now : (await tx.query(`SELECT now() AS now`)).rows[0].now;
    let seq = prev?.seq ?? 0;
    let prevHash = prev ? Buffer.from(prev.hash) : GENESIS;
    const rows = events.map((event) => {
        const entry = {
            seq: ++seq,
            id: randomUUID(),
            at: clock.toISOString(),
            teamId,
            actor: event.actor,
            action: event.action,
            target: event.target ?? null,
            requestId: event.requestId ?? null,
            details: event.details ?? {},
        };
        const text = canonicalJson(entry);
        const hash = chainHash(prevHash, text);
        const row = { entry, text, prevHash, hash };
        prevHash = hash;
        return row;
    });
    await tx.query(`INSERT INTO audit_log (team_id, seq, id, at, actor_type, actor_id, action, target_type, target_id, entry, prev_hash, hash)
     SELECT $1, * FROM unnest($2::bigint[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bytea[], $12::bytea[])`, [
        teamId,
        rows.map((r) => r.entry.seq),
        rows.map((r) => r.entry.id),
        rows.map((r) => r.entry.at),
        rows.map((r) => r.entry.actor.type),
        rows.map((r) => r.entry.actor.id),
        rows.map((r) => r.entry.action),
        rows.map((r) => r.entry.target?.type ?? null),
        rows.map((r) => r.entry.target?.id ?? null),
        rows.map((r) => r.text),
        rows.map((r) => r.prevHash),
        rows.map((r) => r.hash),
    ]);
    return rows.map((r) => r.entry);
}
const targetsOf = (f) => f.targetId === undefined && f.targetIds === undefined ? null : [...(f.targetId !== undefined ? [f.targetId] : []), ...(f.targetIds ?? [])];
export async function listAudit(tx, teamId, f) {
    const r = await tx.query(`SELECT entry FROM audit_log
      WHERE team_id = $1
        AND ($2::text IS NULL OR action = $2 OR action LIKE $2 || '.%')
        AND ($3::text IS NULL OR actor_id = $3)
        AND ($4::text[] IS NULL OR target_id = ANY($4::text[]))
        AND ($5::timestamptz IS NULL OR at >= $5)
        AND ($6::timestamptz IS NULL OR at < $6)
        AND ($7::bigint IS NULL OR seq < $7)
      ORDER BY seq DESC LIMIT $8`, [teamId, f.action ?? null, f.actorId ?? null, targetsOf(f), f.from ?? null, f.to ?? null, f.before ?? null, f.limit]);
    return r.rows.map((row) => JSON.parse(row.entry));
}
//# sourceMappingURL=audit-log.js.map