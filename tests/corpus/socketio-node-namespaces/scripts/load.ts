import { io } from 'socket.io-client';

// Load test: a hundred customers in the chat namespace, over the server's `/rt` path.
const clients = Array.from({ length: 100 }, () =>
  io('http://localhost:3000/chat', { path: '/rt', transports: ['websocket'] }),
);

for (const [index, client] of clients.entries()) {
  client.on('connect', () => client.emit('join', `load-${index % 10}`));
}
