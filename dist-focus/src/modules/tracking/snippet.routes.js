import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
const SNIPPET = join('tracker', 'haven.js');
/**
 * The package's directory: the nearest folder above this file that holds `tracker/haven.js`
 * (the source runs from src/…, the compiled server from dist/src/… or another --outDir).
 */
export function snippetPath(from = dirname(fileURLToPath(import.meta.url))) {
    for (let dir = from;; dir = dirname(dir)) {
        const candidate = join(dir, SNIPPET);
        if (existsSync(candidate))
            return candidate;
        if (dirname(dir) === dir)
            throw new Error(`The browser snippet (${SNIPPET}) was not found above ${from}.`);
    }
}
/**
 * The snippet as sent: minified (terser, ES5 out as in; the `/*!` header stays and names the
 * readable source), plain and gzip, each with its own strong ETag. Sites load it on every page:
 * its comments, a third of it gzipped, stay in the repository.
 */
export async function loadSnippet(path = snippetPath()) {
    const source = readFileSync(path, 'utf8');
    const { minify } = await import('terser');
    const minified = await minify(source, { ecma: 5, compress: true, mangle: true, format: { comments: /^!/ } });
    const plain = Buffer.from(minified.code, 'utf8');
    const hash = createHash('sha256').update(plain).digest('base64url').slice(0, 22);
    return {
        plain: { body: plain, etag: `"${hash}"` },
        gzip: { body: gzipSync(plain, { level: 9 }), etag: `"${hash}-gz"` },
    };
}
function acceptsGzip(request) {
    return /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
}
function matches(request, etag) {
    const header = request.headers['if-none-match'];
    if (!header)
        return false;
    return header === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
/**
 * `GET /t.js`: the browser snippet (tracker/haven.js), read once at start. Any site may load it
 * (Cross-Origin-Resource-Policy: cross-origin, and CORS for `<script crossorigin integrity=…>`);
 * browsers keep it an hour and revalidate with its ETag. Gzip when the browser accepts it.
 */
export const snippetRoutes = async (app) => {
    const path = snippetPath();
    // Made at the first request (~0.1 s of CPU), so that starting Haven does not wait for it.
    let loading;
    app.get('/t.js', { schema: { hide: true } }, async (request, reply) => {
        loading ??= loadSnippet(path);
        const snippet = await loading;
        const variant = acceptsGzip(request) ? snippet.gzip : snippet.plain;
        void reply
            .header('content-type', 'text/javascript; charset=utf-8')
            .header('cross-origin-resource-policy', 'cross-origin')
            .header('access-control-allow-origin', '*')
            .header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400')
            .header('vary', 'Accept-Encoding')
            .header('etag', variant.etag);
        if (matches(request, variant.etag))
            return reply.code(304).send();
        if (variant === snippet.gzip)
            void reply.header('content-encoding', 'gzip');
        return reply.send(variant.body);
    });
};
//# sourceMappingURL=snippet.routes.js.map