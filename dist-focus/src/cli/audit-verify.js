import { audit, formatAnchor, parseAnchor } from '../platform/audit/index.js';
import { Keyring } from '../platform/crypto/keyring.js';
import { existingMasterKey } from './existing-master-key.js';
import { configFromEnv } from '../platform/config.js';
import { openEngine } from '../platform/db/open.js';
import { withTeam } from '../platform/db/with-team.js';
import { UsageError, teamIdFlag } from './usage-error.js';
/**
 * `haven audit verify [--team <id> [--anchor <seq>:<hash>]]`: walks each team's chain; exit 0 when
 * every chain holds, 1 naming the first broken entry or when --team names no team, 2 on bad usage
 * (see usage-error.ts). With --team it prints the chain's head, to keep outside the database and
 * pass back later as --anchor (verify-chain.ts).
 */
export async function auditVerifyCommand(flags) {
    const team = teamIdFlag(flags.team);
    const anchor = flags.anchor === undefined ? undefined : parseAnchor(flags.anchor);
    if (anchor === null)
        throw new UsageError('--anchor must be <seq>:<hash>, as a verification printed it.');
    if (anchor && !team)
        throw new UsageError('--anchor needs --team: an anchor is one team\'s chain.');
    const config = configFromEnv(process.env, flags.data ? { dataDir: flags.data } : {});
    // The checkpoints are keyed: checking them needs this Haven's master key.
    const provider = existingMasterKey(config, "this Haven's master key (the audit checkpoints are keyed)");
    const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
        const keyring = await Keyring.open(engine, provider);
        let teams;
        if (team) {
            // An unknown id has an empty chain, which verifies: "OK" would hide a mistyped id. A team
            // that has entries is verified even if its row is gone.
            const known = await withTeam(engine, team, async (tx) => {
                const r = await tx.query(`SELECT 1 FROM teams WHERE team_id = $1 UNION ALL SELECT 1 FROM audit_log WHERE team_id = $1 LIMIT 1`, [team]);
                return r.rowCount > 0;
            });
            if (!known) {
                console.error(`haven: no such team: ${team}.`);
                process.exitCode = 1;
                return;
            }
            teams = [team];
        }
        else {
            // Listing every team's chain reads across teams: only a role that bypasses RLS sees them all.
            const r = await engine.ownerTransaction(async (tx) => {
                const who = await tx.query(`SELECT rolsuper OR rolbypassrls AS all FROM pg_roles WHERE rolname = current_user`);
                if (!who.rows[0]?.all)
                    return null;
                // Every team that has, or should have, a chain: one whose every entry is gone still has its
                // row and its checkpoints, and its chain must be found to end before them.
                const all = await tx.query(`SELECT team_id FROM audit_log UNION SELECT team_id FROM teams UNION SELECT team_id FROM audit_checkpoints ORDER BY team_id`);
                return all.rows.map((t) => t.team_id);
            });
            if (!r)
                throw new UsageError('this database user cannot read across teams; pass --team <id> for each team.');
            teams = r;
        }
        let broken;
        let last;
        let total = 0;
        for (const teamId of teams) {
            const report = await withTeam(engine, teamId, (tx) => audit.verify(tx, teamId, { keyring, anchor }));
            last = report;
            total += report.entries;
            if (report.firstBreak) {
                broken = report;
                break;
            }
        }
        if (broken?.firstBreak) {
            const b = broken.firstBreak;
            console.error(`BROKEN team ${broken.teamId}: entry #${b.seq}${b.id ? ` (${b.id})` : ''}: ${b.reason}`);
            process.exitCode = 1;
            return;
        }
        const head = last?.head;
        const checkpoint = last?.checkpoint ? `, checkpointed through entry ${last.checkpoint.seq} (${last.checkpoint.madeAt})` : ', no checkpoint yet';
        if (team)
            console.log(`OK: team ${team}, ${total} entries verified${anchor ? `, anchor ${anchor.seq} matches` : ''}${checkpoint}; head ${head ? formatAnchor(head) : 'none (empty chain)'}`);
        else
            console.log(`OK: ${teams.length} team chain(s), ${total} entries verified.`);
    }
    finally {
        await engine.close();
    }
}
//# sourceMappingURL=audit-verify.js.map