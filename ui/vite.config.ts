/**
 * Vite config of the NetWatch web UI. Root is `ui/`; the build lands in `dist/ui`,
 * which the server serves at `/` (SPA fallback to index.html).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // relative asset URLs, resolved against the <base href> the server puts into index.html
  // (NETWATCH_BASE_PATH, src/http/app.ts), so one build serves at / and under any prefix
  base: './',
  plugins: [solid()],
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
