import { io, type Socket } from 'socket.io-client';

export interface PresenceEvent {
  userId: string;
  online: boolean;
}

// Presence comes from a separate socket.io service rather than a gateway channel.
export function connectPresence(onChange: (event: PresenceEvent) => void): Socket {
  const socket = io(import.meta.env.VITE_PRESENCE_URL, {
    path: '/ws',
    transports: ['websocket'],
  });
  socket.on('presence', onChange);
  return socket;
}
