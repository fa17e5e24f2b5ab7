import { isIP } from 'node:net';
/** A setting that cannot be used as given: the command says which and exits (2), no stack trace. */
export class ConfigError extends Error {
    name = 'ConfigError';
}
function numberFrom(value, fallback, name) {
    if (value === undefined || value === '')
        return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
        throw new ConfigError(`${name} must be a positive number.`);
    return n;
}
function portFrom(value) {
    const port = numberFrom(value, 3000, 'HAVEN_PORT');
    if (!Number.isInteger(port) || port > 65_535)
        throw new ConfigError('HAVEN_PORT must be a port number (1–65535).');
    return port;
}
/** Addresses, CIDR ranges, or proxy-addr's named ranges (loopback, linklocal, uniquelocal). */
function proxiesFrom(value) {
    const items = (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
    for (const item of items) {
        const [address, prefix, extra] = item.split('/');
        const bits = isIP(address ?? '') === 4 ? 32 : isIP(address ?? '') === 6 ? 128 : 0;
        const named = ['loopback', 'linklocal', 'uniquelocal'].includes(item);
        const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
        if (!named && (bits === 0 || !validPrefix || extra !== undefined)) {
            throw new ConfigError(`HAVEN_TRUSTED_PROXIES: "${item}" is not an IP address or CIDR range.`);
        }
    }
    return items.length > 0 ? items : undefined;
}
/**
 * What the HTTP server believes of X-Forwarded-*: nothing unless behind a proxy; then the named
 * proxies, or else only the nearest hop — the left of X-Forwarded-For is whatever the client
 * wrote, and proxies append to it rather than replace it.
 */
export function trustProxy(config) {
    if (!config.behindProxy)
        return false;
    return config.trustedProxies ?? ((_address, hop) => hop === 0);
}
/** Where Haven itself listens: https when it serves TLS itself. */
function defaultPublicUrl(env, flags) {
    const tls = (flags.tlsCert ?? env.HAVEN_TLS_CERT) && (flags.tlsKey ?? env.HAVEN_TLS_KEY);
    return `${tls ? 'https' : 'http'}://${flags.host ?? (env.HAVEN_HOST || '127.0.0.1')}:${flags.port ?? portFrom(env.HAVEN_PORT)}`;
}
/** An empty environment variable counts as unset. */
export function configFromEnv(env = process.env, flags = {}) {
    return {
        host: flags.host ?? (env.HAVEN_HOST || '127.0.0.1'),
        port: flags.port ?? portFrom(env.HAVEN_PORT),
        dataDir: flags.dataDir ?? (env.HAVEN_DATA_DIR || './haven-data'),
        databaseUrl: flags.databaseUrl ?? (env.DATABASE_URL || undefined),
        behindProxy: flags.behindProxy ?? ['1', 'true', 'yes'].includes((env.HAVEN_BEHIND_PROXY ?? '').toLowerCase()),
        trustedProxies: flags.trustedProxies ?? proxiesFrom(env.HAVEN_TRUSTED_PROXIES),
        tlsCert: flags.tlsCert ?? (env.HAVEN_TLS_CERT || undefined),
        tlsKey: flags.tlsKey ?? (env.HAVEN_TLS_KEY || undefined),
        sessionIdleMinutes: flags.sessionIdleMinutes ?? numberFrom(env.HAVEN_SESSION_IDLE_MINUTES, 30, 'HAVEN_SESSION_IDLE_MINUTES'),
        sessionMaxHours: flags.sessionMaxHours ?? numberFrom(env.HAVEN_SESSION_MAX_HOURS, 12, 'HAVEN_SESSION_MAX_HOURS'),
        rateLimitPerMinute: flags.rateLimitPerMinute ?? numberFrom(env.HAVEN_RATE_LIMIT_PER_MINUTE, 600, 'HAVEN_RATE_LIMIT_PER_MINUTE'),
        masterKey: flags.masterKey ?? (env.HAVEN_MASTER_KEY || undefined),
        erasureLedger: flags.erasureLedger ?? (env.HAVEN_ERASURE_LEDGER || undefined),
        publicUrl: (flags.publicUrl ?? (env.HAVEN_PUBLIC_URL || defaultPublicUrl(env, flags))).replace(/\/+$/, ''),
        deletionGraceHours: flags.deletionGraceHours ?? numberFrom(env.HAVEN_DELETION_GRACE_HOURS, 24, 'HAVEN_DELETION_GRACE_HOURS'),
    };
}
/** 127.0.0.0/8, ::1 and localhost: the only addresses served without TLS unless behind a proxy. */
export function isLoopback(host) {
    const h = host.replace(/^\[|\]$/g, '').toLowerCase();
    return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
/** I5: refuse plaintext HTTP on a reachable address. Returns the reason, or null when allowed. */
export function plaintextRefusal(config) {
    if (isLoopback(config.host) || config.behindProxy)
        return null;
    if (config.tlsCert && config.tlsKey)
        return null;
    return (`Refusing to listen on ${config.host} without TLS: people's data would cross the network in clear. ` +
        `Set HAVEN_TLS_CERT and HAVEN_TLS_KEY to a certificate and key, or, if a TLS-terminating proxy ` +
        `sits in front of Haven, start with --behind-proxy (HAVEN_BEHIND_PROXY=1).`);
}
//# sourceMappingURL=config.js.map