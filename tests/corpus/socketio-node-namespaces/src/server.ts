import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { registerAdmin } from './namespaces/admin';
import { registerChat } from './namespaces/chat';
import { registerTeams } from './namespaces/teams';

const app = express();
app.get('/healthz', (_req, res) => res.json({ ok: true, realtime: '/rt' }));

const httpServer = createServer(app);

// One socket.io server for the whole desk: agents and customers connect over `/rt`, and each
// feature is a namespace on that one connection.
const io = new Server(httpServer, {
  path: '/rt',
  cors: { origin: process.env.DESK_ORIGIN ?? 'http://localhost:5173' },
  transports: ['websocket'],
});

const pubClient = createClient({ url: process.env.REDIS_URL });
const subClient = pubClient.duplicate();

export async function start(): Promise<void> {
  await Promise.all([pubClient.connect(), subClient.connect()]);
  io.adapter(createAdapter(pubClient, subClient));
  registerChat(io);
  registerAdmin(io);
  registerTeams(io);
  httpServer.listen(Number(process.env.PORT ?? 3000));
}

void start();
