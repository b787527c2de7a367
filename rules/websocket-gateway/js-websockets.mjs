// Test cases for js-websockets.yaml (ES module JavaScript): default imports, socket.io, uWS,
// @fastify/websocket.
import WS from 'ws';
import { Server } from 'socket.io';
import uWS from 'uWebSockets.js';
import Fastify from 'fastify';
import { createServer } from 'node:http';
import * as realtime from 'socket.io';
import * as events from 'socket.io-client';
import { WebSocket as Upstream } from 'ws';
import { io as connectFeed } from 'socket.io-client';

// ruleid: js-websocket-client
const upstream = new WS('ws://upstream.example.invalid/ws');
// ruleid: js-ws-server
const wss = new WS.Server({ noServer: true });
// ruleid: js-ws-server
const wss2 = new WS.WebSocketServer({ port: 9000, path: '/feed' });

const httpServer = createServer();
// ruleid: js-socketio-server
const io = new Server(httpServer, {
  path: '/ws',
});
// ruleid: js-socketio-server
const bare = new Server();

// ruleid: js-websocket-route
uWS.App().ws('/*', {
  message: (ws, message) => ws.send(message),
});

const fastify = Fastify();
// ruleid: js-websocket-route
fastify.get('/ws', { websocket: true }, (socket) => {
  socket.on('message', () => socket.send('hi'));
});
// ruleid: js-websocket-route
fastify.route({
  method: 'GET',
  url: '/stream',
  handler: (req, reply) => reply.send('use a websocket'),
  websocket: true,
  wsHandler: (socket) => socket.send('hi'),
});
// ok: js-websocket-route
fastify.get('/health', { logLevel: 'warn' }, () => 'ok');
// ok: js-websocket-route
fastify.route({ method: 'GET', url: '/plain', handler: () => 'ok' });

// Bun and Deno upgrade requests inside their own request handlers: no route to read.
// ruleid: js-websocket-upgrade
Bun.serve({
  port: 3001,
  fetch(req, server) {
    return server.upgrade(req) ? undefined : new Response('websocket only', { status: 426 });
  },
  websocket: { message: (ws, message) => ws.send(message) },
});
// ok: js-websocket-upgrade
Bun.serve({ port: 3002, fetch: () => new Response('ok') });
Deno.serve((req) => {
  // ruleid: js-websocket-upgrade
  const { socket, response } = Deno.upgradeWebSocket(req);
  socket.onmessage = (event) => socket.send(event.data);
  return response;
});

// Renamed and namespace imports: the module behind the name decides.
// ruleid: js-socketio-server
const namespaced = new realtime.Server(httpServer, { path: '/realtime' });
// ruleid: js-socketio-client
const feed = events.io('https://feed.example.invalid', { path: '/ws' });
// ruleid: js-socketio-client
const legacyFeed = events.connect('https://feed.example.invalid');
// ruleid: js-socketio-client
const renamedFeed = connectFeed('https://feed.example.invalid');
// ruleid: js-websocket-client
const renamed = new Upstream('ws://upstream.example.invalid/renamed');
// ok: js-socketio-client
const notAClient = events.Manager;

export { upstream, wss, wss2, io, bare, namespaced, feed, legacyFeed, renamedFeed, renamed, notAClient };

// Handlers that route requests themselves: the path they check, when the upgrade is written
// under `if (url.pathname === ...)` or after an early return on any other path.
Deno.serve((req) => {
  const url = new URL(req.url);
  if (url.pathname === '/deno/ws') {
    // ruleid: js-websocket-upgrade
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onmessage = (event) => socket.send(event.data);
    return response;
  }
  return new Response('not found', { status: 404 });
});

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== '/edge/ws') {
      return new Response('not found', { status: 404 });
    }
    // ruleid: js-websocket-upgrade
    const pair = new WebSocketPair();
    const [client, server] = Object.values(pair);
    server.accept();
    return new Response(null, { status: 101, webSocket: client });
  },
};

export class Room {
  async fetch(request) {
    if (new URL(request.url).pathname.startsWith('/room/')) {
      // ruleid: js-websocket-upgrade
      const { 0: client, 1: server } = new WebSocketPair();
      server.accept();
      return new Response(null, { status: 101, webSocket: client });
    }
    return new Response('gone', { status: 410 });
  }
}
