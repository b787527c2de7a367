import type { Server, Socket } from 'socket.io';

interface ChatMessage {
  ticket: string;
  body: string;
}

export function registerChat(io: Server): void {
  const chat = io.of('/chat');
  chat.on('connection', (socket: Socket) => {
    socket.on('join', (ticket: string) => socket.join(`ticket:${ticket}`));
    socket.on('message', (message: ChatMessage) => {
      chat.to(`ticket:${message.ticket}`).emit('message', { from: socket.id, ...message });
    });
  });
}
