import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import autoload from '@fastify/autoload';
import liveRoutes from './routes/live.js';
import { adminRoutes } from './routes/admin.js';

const app = Fastify({ logger: true });

await app.register(websocket);
await app.register(liveRoutes, { prefix: '/live' });
await app.register(adminRoutes, { prefix: '/admin' });
await app.register(autoload, { dir: new URL('./plugins', import.meta.url).pathname });
await app.register(
  async (scoped) => {
    scoped.get('/events', { websocket: true }, (socket) => {
      socket.send(JSON.stringify({ type: 'hello' }));
    });
  },
  { prefix: '/api/v1' },
);

app.get('/ws', { websocket: true }, (socket, req) => {
  socket.on('message', (raw) => app.log.info({ raw: raw.toString(), ip: req.ip }));
});

app.get('/websocket-info', async () => ({ endpoint: '/ws' }));

await app.listen({ port: 3000, host: '0.0.0.0' });
