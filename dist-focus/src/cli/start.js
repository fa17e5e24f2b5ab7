import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHaven } from '../app.js';
import { configFromEnv, plaintextRefusal } from '../platform/config.js';
import { createLogger } from '../platform/log.js';
import { UsageError } from './usage-error.js';
export async function startCommand(flags) {
    const started = performance.now();
    const config = configFromEnv(process.env, {
        ...(flags.host !== undefined ? { host: flags.host } : {}),
        ...(flags.port !== undefined ? { port: flags.port } : {}),
        ...(flags.data !== undefined ? { dataDir: flags.data } : {}),
        ...(flags.behindProxy ? { behindProxy: true } : {}),
    });
    const refusal = plaintextRefusal(config);
    if (refusal)
        throw new UsageError(refusal);
    const https = config.tlsCert && config.tlsKey ? { cert: readPem(config.tlsCert, 'HAVEN_TLS_CERT'), key: readPem(config.tlsKey, 'HAVEN_TLS_KEY') } : undefined;
    const logger = createLogger();
    const haven = await createHaven(config, logger, { https });
    let closing = false;
    const shutdown = (signal) => {
        if (closing)
            return;
        closing = true;
        logger.info({ signal }, 'shutting down');
        haven.close().then(() => process.exit(0), () => process.exit(1));
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    let address;
    try {
        address = await haven.server.listen({ host: config.host, port: config.port });
    }
    catch (error) {
        await haven.close();
        const code = error.code;
        if (code === 'EADDRINUSE')
            throw new UsageError(`port ${config.port} on ${config.host} is in use (another Haven?): choose another with --port.`);
        if (code === 'EACCES')
            throw new UsageError(`port ${config.port} needs privileges this user lacks: choose one above 1023 with --port.`);
        if (code === 'EADDRNOTAVAIL')
            throw new UsageError(`${config.host} is not an address of this machine (--host).`);
        throw error;
    }
    const url = address.replace('[::1]', 'localhost');
    const readyMs = Math.round(performance.now() - started);
    logger.info({ readyMs, engine: haven.engine.kind }, 'haven ready');
    const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir}`;
    const firstRun = !(await haven.engine.ownerTransaction(async (tx) => (await tx.query(`SELECT EXISTS (SELECT 1 FROM users) AS any`)).rows[0].any));
    process.stdout.write(`\nHaven is ready at ${url} (${readyMs} ms, ${where}).\n` +
        (firstRun
            ? `Create the first account: open ${url} in a browser and sign up, or\n` +
                `  curl -X POST ${url}/api/v1/auth/sign-up -H 'content-type: application/json' \\\n` +
                `    -d '{"email":"you@example.com","password":"choose a long one","teamName":"My team"}'\n` +
                (config.masterKey ? '' : `Your data is encrypted under ${join(config.dataDir, 'master.key')}: keep a copy apart from your backups.\n`)
            : '') +
        `API reference: ${url}/api/docs\n\n`);
}
function readPem(path, name) {
    try {
        return readFileSync(path);
    }
    catch (error) {
        throw new UsageError(`${name}: cannot read ${path} (${error.code ?? 'error'}).`);
    }
}
//# sourceMappingURL=start.js.map