// Deployment settings, injected by Vite at build time (.env.production, .env.staging).
export const WS_URL: string = import.meta.env.VITE_WS_URL ?? 'ws://localhost:8000/ws';
export const API_ORIGIN: string = import.meta.env.VITE_API_ORIGIN ?? 'http://localhost:8000';

export const settings = {
  ws: { url: WS_URL, heartbeatMs: 15000 },
  api: { origin: API_ORIGIN },
};
