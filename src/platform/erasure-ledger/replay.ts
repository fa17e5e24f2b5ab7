import type { Keyring } from '../crypto/keyring.js';
import { deleteTeamData, deleteTeamDataIn, recordDeletionCertificateIn } from '../db/delete-team-data.js';
import type { Engine, Tx } from '../db/engine.js';
import { withTeam } from '../db/with-team.js';
import type { ErasureEntry } from './entry.js';

export interface ReplayContext {
  engine: Engine;
  keyring: Keyring;
  /**
   * Delete a person's rows if they are there (domain code: the platform knows no people) and
   * return how many people rows went (0 or 1). Runs in `tx`, scoped to the team.
   */
  erasePersonRows(tx: Tx, teamId: string, personId: string): Promise<number>;
  /**
   * An open owner transaction to replay in (restore: the data and its erasures commit together).
   * Without it each entry gets its own transaction.
   */
  tx?: Tx | undefined;
}

export interface ReplayReport {
  entries: number;
  /** People rows deleted (people already gone count 0). */
  people: number;
  subjectKeys: number;
  /** Teams that still had rows and were deleted again. */
  teams: number;
  teamRows: number;
}

/**
 * Erase again everything the ledger lists, as after restoring a backup taken before those
 * erasures. A person: every listed subject key is shredded (Keyring.shredSubject) and their rows
 * deleted; a team: deleteTeamData, with a certificate when anything was left. Idempotent: an
 * entry already in effect changes nothing.
 */
export async function replayErasureLedger(
  ctx: ReplayContext,
  entries: readonly ErasureEntry[],
  onProgress?: (done: number, total: number) => void,
): Promise<ReplayReport> {
  const report: ReplayReport = { entries: entries.length, people: 0, subjectKeys: 0, teams: 0, teamRows: 0 };
  onProgress?.(0, entries.length);
  let done = 0;
  for (const entry of entries) {
    if (entry.kind === 'person') {
      const erase = async (tx: Tx) => {
        for (const subject of new Set([entry.personId, ...entry.subjectIds])) {
          if (await ctx.keyring.shredSubject(tx, entry.teamId, subject)) report.subjectKeys++;
        }
        report.people += await ctx.erasePersonRows(tx, entry.teamId, entry.personId);
      };
      if (ctx.tx) {
        await ctx.tx.query(`SELECT set_config('app.team_id', $1, true)`, [entry.teamId]);
        await erase(ctx.tx);
      } else {
        await withTeam(ctx.engine, entry.teamId, erase);
      }
    } else {
      const deleted = ctx.tx ? await deleteTeamDataIn(ctx.tx, entry.teamId) : await deleteTeamData(ctx.engine, entry.teamId);
      if (deleted.total > 0) {
        report.teams++;
        report.teamRows += deleted.total;
        const certify = (tx: Tx) => recordDeletionCertificateIn(tx, { teamId: entry.teamId, reason: 'ledger_replay', ...deleted });
        if (ctx.tx) await certify(ctx.tx);
        else await ctx.engine.ownerTransaction(certify);
      }
    }
    onProgress?.(++done, entries.length);
  }
  return report;
}
