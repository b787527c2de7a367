import type { FastifyInstance } from 'fastify';

export async function adminRoutes(fastify: FastifyInstance): Promise<void> {
  fastify.get('/console', { websocket: true }, (socket, req) => {
    socket.send(`welcome ${req.headers['x-user'] ?? 'operator'}`);
  });
  fastify.get('/audit', async () => ({ entries: [] }));
}
