import type { FastifyPluginAsync } from 'fastify';

const liveRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/positions', { websocket: true }, (socket) => {
    const timer = setInterval(() => socket.send(JSON.stringify({ lat: 0, lng: 0 })), 1000);
    socket.on('close', () => clearInterval(timer));
  });

  fastify.route({
    method: 'GET',
    url: '/alerts',
    handler: (req, reply) => reply.send({ hint: 'open a websocket' }),
    wsHandler: (socket) => {
      socket.send('subscribed');
    },
  });
};

export default liveRoutes;
