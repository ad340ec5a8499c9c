// The web app is built into dist/web (or WEB_DIST_DIR), which the api serves at `/`.
import vue from '@vitejs/plugin-vue';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const outDir = process.env.WEB_DIST_DIR ?? resolve(__dirname, '../../dist/web');

export default defineConfig({
  root: __dirname,
  plugins: [vue()],
  resolve: { alias: { '@': resolve(__dirname, 'src') } },
  build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    port: 5173,
    // `npm run dev:web` beside `npm run start:dev`: the api answers /api and /health
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
