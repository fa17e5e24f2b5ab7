import { Command, InvalidArgumentError } from 'commander';
import { auditVerifyCommand } from './audit-verify.js';
import { keysRotateCommand } from './keys-rotate.js';
import { migrateCommand } from './migrate.js';
import { startCommand } from './start.js';
import { command } from './usage-error.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number, 0–65535');
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
  .option('--team <id>', 'verify one team only')
  .option('--data <dir>', 'data directory for the embedded database (HAVEN_DATA_DIR)')
  .action(command(auditVerifyCommand));

const keysCommand = program.command('keys').description('Encryption keys.');
keysCommand
  .command('rotate')
  .description('Rotate a team data key (then re-wrap its subject keys) or the master key.')
  .option('--team <id>', "rotate this team's data key")
  .option('--master', 'rotate the master key (run with Haven stopped)')
  .option('--data <dir>', 'data directory (HAVEN_DATA_DIR)')
  .action(command(keysRotateCommand));

await program.parseAsync(process.argv);
