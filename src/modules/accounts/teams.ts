import { randomUUID } from 'node:crypto';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine, Tx } from '../../platform/db/engine.js';
import { scopeToTeam, withUser } from '../../platform/db/with-team.js';
import { notFound } from '../../platform/http/errors.js';
import type { Role } from './permissions.js';

export interface TeamView {
  id: string;
  name: string;
  createdAt: string;
  /** Set while an owner's cancellation is pending: the team is read-only and is deleted at `deletionDueAt`. */
  cancelledAt: string | null;
  deletionDueAt: string | null;
}

export interface MyTeam {
  id: string;
  name: string;
  role: Role;
  /** When a cancelled team will be deleted (null unless cancelled). */
  deletionDueAt: string | null;
}

/** Create a team with `ownerId` as its owner, and its blind-index root, inside the caller's transaction. */
export async function createTeam(tx: Tx, keyring: Keyring, name: string, ownerId: string): Promise<TeamView> {
  const teamId = randomUUID();
  await scopeToTeam(tx, teamId);
  const r = await tx.query<{ team_id: string; name: string; created_at: Date }>(
    `INSERT INTO teams (team_id, name) VALUES ($1, $2) RETURNING team_id, name, created_at`,
    [teamId, name],
  );
  await tx.query(`INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, 'owner')`, [teamId, ownerId]);
  await keyring.blindIndexes.ensureRoot(tx, teamId);
  const t = r.rows[0]!;
  return { id: t.team_id, name: t.name, createdAt: t.created_at.toISOString(), cancelledAt: null, deletionDueAt: null };
}

export async function getTeam(tx: Tx, teamId: string): Promise<TeamView> {
  const r = await tx.query<{ team_id: string; name: string; created_at: Date; cancelled_at: Date | null; deletion_due_at: Date | null }>(
    `SELECT team_id, name, created_at, cancelled_at, deletion_due_at FROM teams WHERE team_id = $1`,
    [teamId],
  );
  const t = r.rows[0];
  if (!t) throw notFound('team');
  return {
    id: t.team_id,
    name: t.name,
    createdAt: t.created_at.toISOString(),
    cancelledAt: t.cancelled_at?.toISOString() ?? null,
    deletionDueAt: t.deletion_due_at?.toISOString() ?? null,
  };
}

export async function renameTeam(tx: Tx, teamId: string, name: string): Promise<TeamView> {
  const r = await tx.query(`UPDATE teams SET name = $2 WHERE team_id = $1`, [teamId, name]);
  if (r.rowCount === 0) throw notFound('team');
  return getTeam(tx, teamId);
}

/** The teams a user belongs to, through the membership policy only. */
export async function teamsOfUser(engine: Engine, userId: string): Promise<MyTeam[]> {
  return withUser(engine, userId, async (tx) => {
    const r = await tx.query<{ team_id: string; name: string; role: Role; deletion_due_at: Date | null }>(
      `SELECT t.team_id, t.name, m.role, t.deletion_due_at
         FROM memberships m JOIN teams t ON t.team_id = m.team_id
        WHERE m.user_id = $1 ORDER BY t.created_at, t.team_id`,
      [userId],
    );
    return r.rows.map((t) => ({ id: t.team_id, name: t.name, role: t.role, deletionDueAt: t.deletion_due_at?.toISOString() ?? null }));
  });
}

/** Whether the team still exists (jobs queued before a team's deletion check this first). */
export async function teamExists(tx: Tx, teamId: string, options: { hold?: boolean } = {}): Promise<boolean> {
  // hold: the team's deletion waits for this transaction, and then finds what it wrote.
  return (await tx.query(`SELECT 1 FROM teams WHERE team_id = $1${options.hold ? ' FOR KEY SHARE' : ''}`, [teamId])).rowCount > 0;
}
