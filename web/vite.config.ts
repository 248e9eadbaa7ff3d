import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The tenant portal. `npm run build:web` writes web/dist, which the twin serves at `/` and the
 * site stack uploads to S3. The manifest lists each route's chunks for `npm run bench`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    // Maps for debugging and the bench; not referenced from the files and not deployed.
    sourcemap: 'hidden',
    target: 'es2022',
    // The API reference's chunk (Swagger UI, about 1.5 MB, 420 KB gzipped) is loaded only at /docs.
    chunkSizeWarningLimit: 1600,
    // The build is small; its plugin timing report is noise in `npm start` and test output.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
