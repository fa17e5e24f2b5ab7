import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { masterKeyProvider } from '../app.js';
import { audit } from '../platform/audit/index.js';
import { configFromEnv } from '../platform/config.js';
import { Keyring, checkMasterRotationAllowed, rewrapUnderNewMaster } from '../platform/crypto/keyring.js';
import { decodeMasterKey, MasterKeyError } from '../platform/crypto/master-key/provider.js';
import { migrate } from '../platform/db/migrations.js';
import { openEngine } from '../platform/db/open.js';
import { withTeam } from '../platform/db/with-team.js';
import { renameDurably, writeFileDurably } from '../platform/durable-file.js';
import { allMigrations } from '../modules/index.js';
import { progressBar } from './progress.js';
import { UsageError, teamIdFlag } from './usage-error.js';
/**
 * `haven keys rotate --team <id>`: a new team key version takes effect at once (new data uses it,
 * old versions stay readable), then the team's subject keys are re-wrapped under it in batches
 * (`--rewrap`: only that, under the current version — to finish a rotation that left some).
 * `haven keys rotate --master`: every team key is re-wrapped under a new master key in one
 * transaction; with a key file the new key replaces it, with HAVEN_MASTER_KEY the new key comes
 * from HAVEN_NEW_MASTER_KEY.
 */
export async function keysRotateCommand(flags) {
    if (Boolean(flags.team) === Boolean(flags.master))
        throw new UsageError('say what to rotate: --team <id> or --master.');
    if (flags.rewrap && !flags.team)
        throw new UsageError('--rewrap goes with --team <id>.');
    const team = teamIdFlag(flags.team);
    const config = configFromEnv(process.env, flags.data ? { dataDir: flags.data } : {});
    const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
        const keyring = await Keyring.open(engine, masterKeyProvider(config));
        await migrate(engine, allMigrations);
        if (team) {
            const teamId = team;
            const version = await withTeam(engine, teamId, async (tx) => {
                const exists = await tx.query(`SELECT 1 FROM teams WHERE team_id = $1`, [teamId]);
                if (exists.rowCount === 0)
                    return null;
                if (flags.rewrap)
                    return (await keyring.currentTeamKey(tx, teamId)).version;
                const v = await keyring.rotateTeamKey(tx, teamId);
                await audit.record(tx, { teamId, actor: { type: 'operator', id: null }, action: 'keys.team_rotated', details: { version: v } });
                return v;
            });
            if (version === null) {
                console.error('haven: no such team.');
                process.exitCode = 1;
                return;
            }
            console.log(`Team key version ${version} is in use for new data.`);
            const bar = progressBar('Re-wrapping subject keys');
            const result = await keyring.rewrapSubjectKeys(engine, teamId, { onProgress: (d, t) => bar.update(d, t) });
            bar.stop();
            console.log(`Re-wrapped ${result.rewrapped} subject key(s) under team key version ${result.version}.`);
            if (result.left > 0 || !result.settled) {
                // Written under the old version by transactions that began before the rotation, or held
                // by ones still open: readable, but not yet under the new key.
                const what = result.left > 0 ? `${result.left} subject key(s) are still` : 'a transaction that began before the rotation still runs, and keys it writes may be';
                console.error(`haven: ${what} under an older team key version. Run \`haven keys rotate --team ${teamId} --rewrap\` to finish once it has ended.`);
                process.exitCode = 1;
            }
            return;
        }
        // Refused before the new key is made or written: a refusal leaves no stray master.key.new.
        await checkMasterRotationAllowed(engine);
        const oldMaster = await masterKeyProvider(config).load();
        let newMaster;
        let keyFile = null;
        if (config.masterKey) {
            const next = process.env.HAVEN_NEW_MASTER_KEY;
            if (!next)
                throw new MasterKeyError('HAVEN_MASTER_KEY is set: put the new key in HAVEN_NEW_MASTER_KEY (e.g. `openssl rand -base64 32`).');
            newMaster = decodeMasterKey(next, 'HAVEN_NEW_MASTER_KEY');
        }
        else {
            keyFile = join(config.dataDir, 'master.key');
            newMaster = randomBytes(32);
            // Written and synced before the database changes, so a crash (or a power cut) in between
            // leaves the key recoverable: the database may commit under it.
            await writeFileDurably(`${keyFile}.new`, `${newMaster.toString('base64')}\n`, { mode: 0o600 });
        }
        const bar = progressBar('Re-wrapping team keys');
        const result = await rewrapUnderNewMaster(engine, oldMaster, newMaster, (d, t) => bar.update(d, t));
        bar.stop();
        // Backups made until now open only with the old key: it is kept beside the new one (as
        // secret as it), for the operator to move to where those backups' key belongs.
        const previous = keyFile ? `${keyFile}.previous-${new Date().toISOString().replace(/[:.]/g, '-')}` : null;
        if (keyFile && previous)
            await writeFileDurably(previous, `${oldMaster.toString('base64')}\n`, { mode: 0o600 });
        if (keyFile && existsSync(`${keyFile}.new`))
            await renameDurably(`${keyFile}.new`, keyFile);
        const parts = [`${result.teamKeys} team key(s)`, `${result.indexRoots} index root(s)`, ...(result.accountRoot ? ['the account-key root'] : [])];
        console.log(`Re-wrapped ${parts.slice(0, -1).join(', ')} and ${parts.at(-1)} under the new master key.`);
        console.log(keyFile ? `The new key is in ${keyFile}.` : 'Start Haven with HAVEN_MASTER_KEY set to the new key.');
        console.log(previous
            ? `Backups made before now open only with the old key, kept in ${previous}: store it with those backups' key copies, apart from them, then delete it here.`
            : 'Backups made before now open only with the old key (HAVEN_MASTER_KEY until now): keep it where those backups can be opened.');
    }
    finally {
        await engine.close();
    }
}
//# sourceMappingURL=keys-rotate.js.map