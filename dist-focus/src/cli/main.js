import { Command, InvalidArgumentError } from 'commander';
import { auditVerifyCommand } from './audit-verify.js';
import { backupCommand } from './backup.js';
import { keysRotateCommand } from './keys-rotate.js';
import { migrateCommand } from './migrate.js';
import { privacyExportCommand, privacyUnsuppressCommand } from './privacy.js';
import { restoreCommand } from './restore.js';
import { startCommand } from './start.js';
import { command } from './usage-error.js';
function port(value) {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new InvalidArgumentError('a port number, 0–65535');
    return n;
}
const program = new Command()
    .name('haven')
    .description('Haven, the privacy-first CRM. Data lives in ./haven-data (embedded PostgreSQL) unless DATABASE_URL is set.')
    .version('0.1.0')
    .showHelpAfterError();
program
    .command('start')
    .description('Start the Haven server (migrates the database first).')
    .option('--host <address>', 'address to listen on (HAVEN_HOST); non-loopback needs TLS or --behind-proxy')
    .option('--port <number>', 'port to listen on (HAVEN_PORT)', port)
    .option('--data <dir>', 'data directory for the embedded database and key file (HAVEN_DATA_DIR)')
    .option('--behind-proxy', 'a TLS-terminating proxy sits in front of Haven (HAVEN_BEHIND_PROXY=1)')
    .action(command(startCommand));
program
    .command('migrate')
    .description('Apply pending database migrations and exit.')
    .option('--data <dir>', 'data directory for the embedded database (HAVEN_DATA_DIR)')
    .option('--dry-run', 'list pending migrations without applying them')
    .action(command(migrateCommand));
const auditCommand = program.command('audit').description('The hash-chained audit log.');
auditCommand
    .command('verify')
    .description('Verify every team chain (or one); exits 1 and names the first broken entry.')
    .option('--team <id>', 'verify one team only (prints its head: keep it outside the database)')
    .option('--anchor <seq:hash>', 'with --team: a head printed earlier, which the chain must still reach')
    .option('--data <dir>', 'data directory for the embedded database (HAVEN_DATA_DIR)')
    .action(command(auditVerifyCommand));
const keysCommand = program.command('keys').description('Encryption keys.');
keysCommand
    .command('rotate')
    .description('Rotate a team data key (then re-wrap its subject keys) or the master key.')
    .option('--team <id>', "rotate this team's data key")
    .option('--master', 'rotate the master key (run with Haven stopped)')
    .option('--rewrap', 'with --team: make no new version, only re-wrap subject keys still under older ones')
    .option('--data <dir>', 'data directory (HAVEN_DATA_DIR)')
    .action(command(keysRotateCommand));
program
    .command('backup')
    .description('Write a consistent archive of every table, as stored (ciphertext and wrapped keys; never the master key).')
    .requiredOption('--out <file>', 'where to write the archive (.tar.gz); refused if it exists')
    .option('--data <dir>', 'data directory for the embedded database (HAVEN_DATA_DIR)')
    .action(command(backupCommand));
program
    .command('restore')
    .description('Check a backup archive whole, restore it into an empty database, and replay the erasure ledger.')
    .argument('<file>', 'the archive written by haven backup')
    .option('--data <dir>', 'data directory for the embedded database and master key (HAVEN_DATA_DIR)')
    .option('--replace', 'discard everything the target database holds (refused otherwise when it has data)')
    .option('--accept-ledger-damage', 'replay what can be read of an erasure ledger whose hash chain does not verify')
    .option('--accept-unsigned', 'restore an archive made before backups were signed (only one you trust was not changed)')
    .action(command(restoreCommand));
const privacyCommand = program.command('privacy').description('Data-subject requests an operator runs from the command line.');
privacyCommand
    .command('export')
    .description('Write everything Haven holds about one person (access / portability export) to a file, with a progress bar; recorded and audited.')
    .requiredOption('--team <id>', 'the team (UUID)')
    .option('--email <address>', 'find the person by email')
    .option('--phone <number>', 'find the person by phone')
    .option('--external-id <id>', 'find the person by external id')
    .option('--format <format>', 'json (documented schema) or zip (CSV files)', 'json')
    .option('--out <file>', 'where to write it (created 0600; refused if it exists)')
    .option('--data <dir>', 'data directory for the embedded database (HAVEN_DATA_DIR)')
    .action(command(privacyExportCommand));
privacyCommand
    .command('unsuppress')
    .description('Lift a suppression (objection / unsubscribe) — operators only; audited in the team log.')
    .requiredOption('--team <id>', 'the team (UUID)')
    .option('--email <address>', 'the identity: an email')
    .option('--phone <number>', 'the identity: a phone number')
    .option('--external-id <id>', 'the identity: an external id')
    .option('--data <dir>', 'data directory for the embedded database (HAVEN_DATA_DIR)')
    .action(command(privacyUnsuppressCommand));
await program.parseAsync(process.argv);
//# sourceMappingURL=main.js.map