// Builds the operator console. `base: './'` makes every asset URL relative, so the same dist/ loads
// from file:// in the Electron app and from the station's HTTP server in serve mode.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP forbids inline scripts and styles: keep every asset a file, however small.
    assetsInlineLimit: 0,
  },
});
