import type { Server } from 'socket.io';

// One dynamic namespace per team: /team-billing, /team-onboarding, ...
export function registerTeams(io: Server): void {
  io.of(/^\/team-[a-z-]+$/).on('connection', (socket) => {
    const team = socket.nsp.name.slice('/team-'.length);
    socket.emit('welcome', { team });
  });
}
