import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
/**
 * The first path segments of the app's client routes (web/src/App.tsx); a screen with a new
 * top-level path is added here too. Only these answer with the app, so the server's own paths —
 * /api, /v1, /capture, /batch, /e, /i, /decide, /flags, /t.js, /unsubscribe, /healthz, /readyz and
 * whatever comes next — are never shadowed, and unknown paths keep the JSON 404.
 */
export const APP_SECTIONS = ['sign-in', 'sign-up', 'invitation', 'people', 'settings', 'privacy', 'audit', 'account'];
/**
 * Where the built web app is: `vite build` writes it beside the compiled server, so from
 * `<out>/src/platform/http/web-app.js` it is `<out>/web-app` (dist/web-app after `npm ci`).
 */
export function webAppDir(from = dirname(fileURLToPath(import.meta.url))) {
    return join(from, '..', '..', '..', 'web-app');
}
/**
 * Serve the single-page app: hashed assets under /assets (cached for a year, immutable), and
 * index.html for `/` and the app's client routes (revalidated each time, so a new release is
 * picked up at once). Without a build, the server runs API-only and says so.
 */
export async function registerWebApp(app, dir = webAppDir()) {
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
    const sendApp = (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', dir, { cacheControl: false });
    app.get('/', { schema: { hide: true } }, sendApp);
    for (const section of APP_SECTIONS) {
        app.get(`/${section}`, { schema: { hide: true } }, sendApp);
        app.get(`/${section}/*`, { schema: { hide: true } }, sendApp);
    }
}
//# sourceMappingURL=web-app.js.map