import { io } from 'socket.io-client';

// Presence runs on a separate socket.io deployment whose host and engine.io path are set per
// environment (VITE_PRESENCE_URL, VITE_PRESENCE_PATH).
export const presence = io(import.meta.env.VITE_PRESENCE_URL, {
  path: import.meta.env.VITE_PRESENCE_PATH,
  transports: ['websocket'],
});
