import { defineConfig } from 'vite';

/**
 * The `cartography` command line as one ES module for Node 20 (which cannot run TypeScript):
 * bin/cli/entry.ts and the shared/ code it uses, bundled into dist/cli/cartography.mjs.
 * Packages from node_modules (papaparse, fflate) stay imports, resolved at run time.
 * bin/cartography.mjs builds it when it is missing or older than its sources.
 */
export default defineConfig({
  logLevel: 'warn',
  publicDir: false,
  build: {
    ssr: 'bin/cli/entry.ts',
    outDir: 'dist/cli',
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    rolldownOptions: { output: { entryFileNames: 'cartography.mjs', format: 'es' } },
  },
});
