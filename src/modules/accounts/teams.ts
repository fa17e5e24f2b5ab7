import { randomUUID } from 'node:crypto';
import type { Engine, Tx } from '../../platform/db/engine.js';
import { scopeToTeam, withUser } from '../../platform/db/with-team.js';
import { notFound } from '../../platform/http/errors.js';
import type { Role } from './permissions.js';

export interface TeamView {
  id: string;
  name: string;
  createdAt: string;
}

export interface MyTeam {
  id: string;
  name: string;
  role: Role;
}

/** Create a team with `ownerId` as its owner, inside the caller's transaction. */
export async function createTeam(tx: Tx, name: string, ownerId: string): Promise<TeamView> {
  const teamId = randomUUID();
  await scopeToTeam(tx, teamId);
  const r = await tx.query<{ team_id: string; name: string; created_at: Date }>(
    `INSERT INTO teams (team_id, name) VALUES ($1, $2) RETURNING team_id, name, created_at`,
    [teamId, name],
  );
  await tx.query(`INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, 'owner')`, [teamId, ownerId]);
  const t = r.rows[0]!;
  return { id: t.team_id, name: t.name, createdAt: t.created_at.toISOString() };
}

export async function getTeam(tx: Tx, teamId: string): Promise<TeamView> {
  const r = await tx.query<{ team_id: string; name: string; created_at: Date }>(
    `SELECT team_id, name, created_at FROM teams WHERE team_id = $1`,
    [teamId],
  );
  const t = r.rows[0];
  if (!t) throw notFound('team');
  return { id: t.team_id, name: t.name, createdAt: t.created_at.toISOString() };
}

export async function renameTeam(tx: Tx, teamId: string, name: string): Promise<TeamView> {
  const r = await tx.query(`UPDATE teams SET name = $2 WHERE team_id = $1`, [teamId, name]);
  if (r.rowCount === 0) throw notFound('team');
  return getTeam(tx, teamId);
}

/** The teams a user belongs to, through the membership policy only. */
export async function teamsOfUser(engine: Engine, userId: string): Promise<MyTeam[]> {
  return withUser(engine, userId, async (tx) => {
    const r = await tx.query<{ team_id: string; name: string; role: Role }>(
      `SELECT t.team_id, t.name, m.role
         FROM memberships m JOIN teams t ON t.team_id = m.team_id
        WHERE m.user_id = $1 ORDER BY t.created_at, t.team_id`,
      [userId],
    );
    return r.rows.map((t) => ({ id: t.team_id, name: t.name, role: t.role }));
  });
}
