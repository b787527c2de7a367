import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server forwards the gateway's websocket to the backend; this is proxy configuration,
// not a connection.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/ws': { target: 'ws://localhost:8000', ws: true },
      '/api': { target: 'http://localhost:8000', changeOrigin: true },
    },
  },
});
