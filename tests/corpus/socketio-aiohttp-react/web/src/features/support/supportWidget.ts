import { io } from 'socket.io-client';

// The embeddable support widget talks to the desk from customers' sites. It names the
// namespace in the URL but leaves the engine.io path at the default, /socket.io.
export function openSupportWidget(ticket: string) {
  const socket = io('https://desk.example.invalid/chat');
  socket.on('connect', () => socket.emit('join', { ticket }));
  return socket;
}
