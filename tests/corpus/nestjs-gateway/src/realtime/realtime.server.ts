import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';

// Live cursors for the editor, added next to the gateway by another team: a second websocket
// endpoint on the same HTTP server.
export function attachRealtime(httpServer: HttpServer): Server {
  const io = new Server(httpServer, {
    path: '/realtime',
    cors: { origin: process.env.EDITOR_ORIGIN },
  });
  io.on('connection', (socket) => {
    socket.on('cursor', (cursor) => socket.broadcast.emit('cursor', { id: socket.id, ...cursor }));
  });
  return io;
}
