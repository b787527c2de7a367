import * as cfg from '../config';

// Quotes come from a per-deployment feed (VITE_QUOTES_URL).
export const quotes = new WebSocket(cfg.QUOTES_URL);
