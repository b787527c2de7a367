import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the gateway is proxied; in production VITE_WS_URL points at it.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/ws': { target: 'ws://localhost:8000', ws: true },
    },
  },
});
