import type { FastifyInstance } from 'fastify';

// loaded by @fastify/autoload: its prefix comes from the directory autoload is pointed at
export default async function (fastify: FastifyInstance) {
  fastify.get('/replay', { websocket: true }, (socket) => {
    socket.send('replaying the last hour');
  });
}
