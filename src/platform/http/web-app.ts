import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Paths the server answers itself. The web app's client routes never shadow them: an unknown path
 * under one of these is the API's JSON 404, never the app's HTML.
 */
export const SERVER_PATHS = ['/api', '/v1', '/capture', '/batch', '/e', '/i', '/decide', '/flags', '/t.js', '/healthz', '/readyz', '/assets'] as const;

/**
 * Where the built web app is: `vite build` writes it beside the compiled server, so from
 * `<out>/src/platform/http/web-app.js` it is `<out>/web-app` (dist/web-app after `npm ci`).
 */
export function webAppDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  return join(from, '..', '..', '..', 'web-app');
}

export function isServerPath(path: string): boolean {
  return SERVER_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/** A path that names a file (`/favicon.ico`, `/robots.txt`) is never a client route. */
function looksLikeFile(path: string): boolean {
  return /\.[A-Za-z0-9]+$/.test(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * Serve the single-page app: hashed assets under /assets (cached for a year, immutable), and
 * index.html for `/` and every other GET that is not the server's own (revalidated each time, so
 * a new release is picked up at once). Without a build, the server runs API-only and says so.
 */
export async function registerWebApp(app: FastifyInstance, dir: string = webAppDir()): Promise<void> {
  if (!existsSync(join(dir, 'index.html'))) {
    app.log.warn({ dir }, 'web app not built (npm run build); serving the API only');
    return;
  }
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    index: false,
    maxAge: '365d',
    immutable: true,
    schemaHide: true,
  });

  const sendApp = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (isServerPath(path) || looksLikeFile(path)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html', dir, { cacheControl: false });
  };
  app.get('/', { schema: { hide: true } }, sendApp);
  app.get('/*', { schema: { hide: true } }, sendApp);
}
