/**
 * Builds the dashboard to static files in `dist/`, which the API serves at `/`. In development
 * (`bun run dev`) the API is proxied from 127.0.0.1:8447 (override with LMDASH_API), so the
 * page, its EventSource and its POSTs share one origin as they do in production.
 */
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const api = process.env.LMDASH_API ?? 'http://127.0.0.1:8447';

export default defineConfig({
  plugins: [solid()],
  server: {
    proxy: {
      '/api': { target: api },
      '/publish': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 300,
  },
});
