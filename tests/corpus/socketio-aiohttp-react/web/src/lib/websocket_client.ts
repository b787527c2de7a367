import { io, type Socket } from 'socket.io-client';
import { baseSocketOptions } from '../config/realtime';

// The sanctioned client module: every namespace of the desk over the server's one `/rt` path.
// The URL's path is the namespace; the engine.io path is the `path` option.

export function connectChat(token: string): Socket {
  return io('/chat', { path: '/rt', auth: { token }, transports: ['websocket'] });
}

export function connectAgents(token: string): Socket {
  return io('/agents', {
    ...baseSocketOptions,
    path: '/rt',
    auth: { token },
  });
}

export function connectOrders(origin: string): Socket {
  return io(`${origin}/orders`, { path: '/rt' });
}

// The page's own origin and the root namespace, over the same path.
export const lobby: Socket = io({ path: '/rt', autoConnect: false });
