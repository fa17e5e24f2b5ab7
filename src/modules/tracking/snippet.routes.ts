import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

const SNIPPET = join('tracker', 'haven.js');

/**
 * The package's directory: the nearest folder above this file that holds `tracker/haven.js`
 * (the source runs from src/…, the compiled server from dist/src/… or another --outDir).
 */
export function snippetPath(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, SNIPPET);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`The browser snippet (${SNIPPET}) was not found above ${from}.`);
  }
}

interface Variant {
  body: Buffer;
  etag: string;
}

/** The snippet as sent: plain and gzip, each with its own strong ETag. */
export function loadSnippet(path = snippetPath()): { plain: Variant; gzip: Variant } {
  const plain = readFileSync(path);
  const hash = createHash('sha256').update(plain).digest('base64url').slice(0, 22);
  return {
    plain: { body: plain, etag: `"${hash}"` },
    gzip: { body: gzipSync(plain, { level: 9 }), etag: `"${hash}-gz"` },
  };
}

function acceptsGzip(request: FastifyRequest): boolean {
  return /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
}

function matches(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * `GET /t.js`: the browser snippet (tracker/haven.js), read once at start. Any site may load it
 * (Cross-Origin-Resource-Policy: cross-origin, and CORS for `<script crossorigin integrity=…>`);
 * browsers keep it an hour and revalidate with its ETag. Gzip when the browser accepts it.
 */
export const snippetRoutes: FastifyPluginAsync = async (app) => {
  const snippet = loadSnippet();

  app.get('/t.js', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const variant = acceptsGzip(request) ? snippet.gzip : snippet.plain;
    void reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('access-control-allow-origin', '*')
      .header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400')
      .header('vary', 'Accept-Encoding')
      .header('etag', variant.etag);
    if (matches(request, variant.etag)) return reply.code(304).send();
    if (variant === snippet.gzip) void reply.header('content-encoding', 'gzip');
    return reply.send(variant.body);
  });
};
