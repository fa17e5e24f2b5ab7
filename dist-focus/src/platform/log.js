import pino, {} from 'pino';
import { ConfigError } from './config.js';
/**
 * Structured logs carry ids, never personal data, secrets or tokens (I7). Requests are logged by
 * method, route pattern and request id only — no query string, IP, user agent, cookies or
 * headers — and errors by type and code, never a database `detail` (which quotes row values).
 */
export function createLogger(options = {}) {
    const level = options.level ?? (process.env.HAVEN_LOG_LEVEL || 'info');
    if (!(level in pino.levels.values) && level !== 'silent') {
        throw new ConfigError(`HAVEN_LOG_LEVEL must be one of ${[...Object.keys(pino.levels.values), 'silent'].join(', ')}.`);
    }
    return pino({
        level,
        base: { service: 'haven' },
        serializers: {
            req: (req) => ({
                id: req.id,
                method: req.method,
                route: req.routeOptions?.url ?? 'unmatched',
            }),
            res: (res) => ({ statusCode: res.statusCode }),
            err: (err) => ({
                type: err.name,
                code: err.code,
                statusCode: err.statusCode,
                message: err.message,
                stack: err.stack,
            }),
        },
        redact: {
            paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'cookie', '*.cookie'],
            censor: '[redacted]',
        },
    }, options.destination);
}
//# sourceMappingURL=log.js.map