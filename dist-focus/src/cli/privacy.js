import { createWriteStream, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHaven } from '../app.js';
import { configFromEnv } from '../platform/config.js';
import { withTeam } from '../platform/db/with-team.js';
import { HavenError } from '../platform/http/errors.js';
import { createLogger } from '../platform/log.js';
import { PeopleService } from '../modules/people/index.js';
import { exportAsJson, exportAsZip, identityHash, liftSuppression } from '../modules/privacy/index.js';
import { oneIdentity } from '../modules/privacy/identity-input.js';
import { requestExport, takeExport } from '../modules/privacy/request-export.js';
import { audit } from '../platform/audit/index.js';
import { normaliseIdentity } from '../modules/people/index.js';
import { progressBar } from './progress.js';
import { UsageError, teamIdFlag } from './usage-error.js';
const operator = { type: 'operator', id: null };
/** A Haven on the configured database for one command: no HTTP listener, jobs not polled. */
async function withHaven(flags, fn) {
    const config = configFromEnv(process.env, flags.data ? { dataDir: flags.data } : {});
    const logger = createLogger({ level: 'warn' });
    const haven = await createHaven(config, logger, { jobs: 'manual' });
    try {
        return await fn({ engine: haven.engine, keyring: haven.keyring, config, logger, jobs: haven.jobs }, haven);
    }
    finally {
        await haven.close();
    }
}
function subjectOf(flags) {
    const teamId = teamIdFlag(flags.team);
    if (!teamId)
        throw new UsageError('--team <id> is required.');
    try {
        const { kind, raw, field } = oneIdentity({ email: flags.email, phone: flags.phone, externalId: flags.externalId });
        return { teamId, kind, value: normaliseIdentity(kind, raw, field) };
    }
    catch (error) {
        if (error instanceof HavenError)
            throw new UsageError(`give exactly one valid --email, --phone or --external-id (${error.message})`);
        throw error;
    }
}
/**
 * `haven privacy export --team <id> --email <address> [--format json|zip] [--out FILE]`: the access
 * export of one person to a file (mode 0600: it is their personal data in clear), recorded and
 * audited as an operator's request, with a progress bar over their events.
 */
export async function privacyExportCommand(flags) {
    const { teamId, kind, value } = subjectOf(flags);
    const format = flags.format ?? 'json';
    if (format !== 'json' && format !== 'zip')
        throw new UsageError('--format is json or zip.');
    const out = flags.out ?? undefined;
    if (out && existsSync(out))
        throw new UsageError(`${out} already exists; choose another --out.`);
    await withHaven(flags, async (ctx) => {
        const people = new PeopleService(ctx.keyring);
        const personId = await withTeam(ctx.engine, teamId, (tx) => people.findIdentity(tx, teamId, kind, value));
        if (!personId)
            throw new UsageError('no person in this team has that identity.');
        const request = await requestExport(ctx, teamId, personId, format, operator);
        const { exp } = await takeExport(ctx, teamId, request.id, operator);
        const file = out ?? `haven-export-${personId}.${format}`;
        const bar = progressBar('Exporting events');
        let done = 0;
        const onEvents = (n) => bar.update((done += n), exp.eventCount);
        bar.update(0, exp.eventCount);
        const source = format === 'zip' ? exportAsZip(exp, onEvents) : Readable.from(exportAsJson(exp, onEvents));
        try {
            await pipeline(source, createWriteStream(file, { mode: 0o600, flags: 'wx' }));
        }
        catch (error) {
            if (error.code === 'EEXIST')
                throw new UsageError(`${file} already exists; choose another --out.`);
            throw error;
        }
        finally {
            bar.stop();
        }
        console.log(`Exported person ${personId} (${exp.eventCount} events) to ${file}; request ${request.id}.`);
    });
}
/**
 * `haven privacy unsuppress --team <id> --email <address>`: an operator lifts a suppression (the
 * team cannot; the person can through their unsubscribe link). Audited in the team's log.
 */
export async function privacyUnsuppressCommand(flags) {
    const { teamId, kind, value } = subjectOf(flags);
    await withHaven(flags, async (ctx) => {
        const hash = await withTeam(ctx.engine, teamId, (tx) => identityHash(ctx.keyring, tx, teamId, { kind, value }));
        const lifted = await liftSuppression(ctx, teamId, kind, hash);
        if (!lifted) {
            console.log('That identity was not suppressed; nothing changed.');
            return;
        }
        await withTeam(ctx.engine, teamId, (tx) => audit.record(tx, { teamId, actor: operator, action: 'suppression.lifted', details: { kind, via: 'operator' } }));
        console.log(`Suppression of that ${kind.replace('_', ' ')} lifted.`);
    });
}
//# sourceMappingURL=privacy.js.map