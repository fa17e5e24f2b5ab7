import { readFileSync } from 'node:fs';
import { createHaven } from '../app.js';
import { configFromEnv, plaintextRefusal } from '../platform/config.js';
import { createLogger } from '../platform/log.js';
import { UsageError } from './usage-error.js';

export interface StartFlags {
  host?: string;
  port?: number;
  data?: string;
  behindProxy?: boolean;
}

export async function startCommand(flags: StartFlags): Promise<void> {
  const started = performance.now();
  const config = configFromEnv(process.env, {
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.data !== undefined ? { dataDir: flags.data } : {}),
    ...(flags.behindProxy ? { behindProxy: true } : {}),
  });
  const refusal = plaintextRefusal(config);
  if (refusal) throw new UsageError(refusal);
  const https = config.tlsCert && config.tlsKey ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } : undefined;
  const logger = createLogger();
  const haven = await createHaven(config, logger, { https });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    haven.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const address = await haven.server.listen({ host: config.host, port: config.port });
  const url = address.replace('[::1]', 'localhost');
  const readyMs = Math.round(performance.now() - started);
  logger.info({ readyMs, engine: haven.engine.kind }, 'haven ready');
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir}`;
  process.stdout.write(
    `\nHaven is ready at ${url} (${readyMs} ms, ${where}).\n` +
      `Create the first account: open ${url} in a browser and sign up, or\n` +
      `  curl -X POST ${url}/api/v1/auth/sign-up -H 'content-type: application/json' \\\n` +
      `    -d '{"email":"you@example.com","password":"choose a long one","teamName":"My team"}'\n` +
      `API reference: ${url}/api/docs\n\n`,
  );
}
