import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app. Built next to the compiled server (dist/web-app), where
 * src/platform/http/web-app.ts serves it; `scripts/test.sh` builds into its own output folder with
 * `--outDir`. No inline scripts or data: URLs, so the server's CSP needs no exceptions.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web-app', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
  },
});
