import { Server } from 'socket.io';

const ROLES = Array.of('supervisor', 'admin');

// Supervisors watch queues live; only they may connect to this namespace.
export function registerAdmin(io: Server): void {
  io.of('/admin')
    .use((socket, next) => {
      const role = socket.handshake.auth?.role;
      next(ROLES.includes(role) ? undefined : new Error('forbidden'));
    })
    .on('connection', (socket) => {
      socket.emit('queues', []);
    });
}
