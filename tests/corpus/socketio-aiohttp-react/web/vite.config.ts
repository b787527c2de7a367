import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server proxies the Socket.IO path to the aiohttp app: not a connection of its own.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/rt': { target: 'ws://localhost:8080', ws: true },
    },
  },
});
