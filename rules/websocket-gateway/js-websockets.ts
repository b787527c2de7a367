// Test cases for js-websockets.yaml (TypeScript, ES module imports).
import { WebSocket as NodeWebSocket, WebSocketServer as WsServer } from 'ws';
import * as wsLib from 'ws';
import { io, Manager, Socket } from 'socket.io-client';
import { Server as SocketIOServer } from 'socket.io';
import { Injectable } from '@nestjs/common';
import {
  WebSocketGateway,
  WebSocketServer,
  SubscribeMessage,
} from '@nestjs/websockets';
import type { Server } from 'socket.io';
import http from 'http';
import { Hono } from 'hono';
import { upgradeWebSocket } from 'hono/bun';

const WS_URL = 'wss://api.example.invalid/ws';

// --- frontend-websocket-client: WebSocket constructors -------------------------------------

export function connectToGateway(token: string): WebSocket {
  // ruleid: js-websocket-client
  const socket = new WebSocket('/ws');
  socket.onmessage = (event: MessageEvent) => console.log(event.data);
  return socket;
}

export function connectWithProtocols(): void {
  // ruleid: js-websocket-client
  const socket = new WebSocket(WS_URL, ['v1.gateway']);
  socket.close();
}

export function connectFromTemplate(base: string, token: string): void {
  // ruleid: js-websocket-client
  const socket = new window.WebSocket(`${base}/ws?token=${token}`);
  socket.close();
}

export function connectViaGlobalThis(): void {
  // ruleid: js-websocket-client
  const socket = new globalThis.WebSocket(
    'wss://example.invalid/api/ws/chat',
  );
  socket.close();
}

export function connectFromNode(): void {
  // `import { WebSocket as NodeWebSocket } from 'ws'`: an alias of the ws client.
  // ruleid: js-websocket-client
  const a = new NodeWebSocket('ws://localhost:8080/ws');
  // ruleid: js-websocket-client
  const b = new wsLib.WebSocket('ws://localhost:8080/ws', { perMessageDeflate: false });
  a.close();
  b.close();
}

export function casted(url: string): void {
  // ruleid: js-websocket-client
  const socket = new (window as any).WebSocket(url);
  socket.close();
}

export function reconnecting(url: string): void {
  // ruleid: js-websocket-client
  const rws = new ReconnectingWebSocket(url);
  rws.close();
}

// --- frontend-websocket-client: socket.io-client -------------------------------------------

export function socketIoClients(): Socket[] {
  // ruleid: js-socketio-client
  const a = io('https://chat.example.invalid', { path: '/ws', transports: ['websocket'] });
  // ruleid: js-socketio-client
  const b = io();
  // ruleid: js-socketio-client
  const c = io('/admin');
  // ruleid: js-socketio-client
  const d = io({ path: '/realtime' });
  // ruleid: js-socketio-client
  const e = io({ autoConnect: false });
  // ruleid: js-socketio-client
  const f = io(
    'https://chat.example.invalid/orders',
    { auth: { token: 'x' } },
  );
  // options the rule cannot read: the path they may set is unresolved (linking stage)
  const options = { path: '/rt' };
  // ruleid: js-socketio-client
  const g = io('https://chat.example.invalid/chat', options);
  // ruleid: js-socketio-client
  const h = io('/chat', { ...options, transports: ['websocket'] });
  // ruleid: js-socketio-client
  const i = io('/chat', { ...options, path: '/rt' });
  // ruleid: js-socketio-client
  const j = io(import.meta.env.VITE_URL, { path: import.meta.env.VITE_PATH });
  // ruleid: js-socketio-client
  const k = io(`${window.location.origin}/teams`);
  // ok: js-socketio-client
  const namespaceOfClient = g.io.socket('/admin');
  return [a, b, c, d, e, f, g, h, i, j, k, namespaceOfClient];
}

// --- frontend-websocket-client: socket.io Manager and its namespaces -----------------------

export function managers(origin: string, options: object): Socket[] {
  // ruleid: js-socketio-manager
  const manager = new Manager(origin, { path: '/ws', reconnectionDelayMax: 10000 });
  // ruleid: js-socketio-manager-socket
  const alerts = manager.socket('/alerts');
  // ruleid: js-socketio-manager-socket
  const metrics = manager.socket('/metrics', { auth: { token: 'x' } });
  // ruleid: js-socketio-manager
  const vendor = new io.Manager('https://vendor.example.invalid');
  // ruleid: js-socketio-manager-socket
  const lobby = vendor.socket('/lobby');
  // ruleid: js-socketio-manager
  const configured = new Manager(origin, options);
  // ruleid: js-socketio-manager
  const local = new Manager({ path: '/rt' });
  // ok: js-socketio-manager-socket
  const notAManager = alerts.io.socket('/other');
  // ruleid: js-socketio-manager-socket
  return [alerts, metrics, lobby, configured.socket('/x'), local.socket('/y'), notAManager];
}

// --- websocket-endpoint: ws servers ---------------------------------------------------------

const httpServer = http.createServer();
// ruleid: js-ws-server
const gatewayServer = new WsServer({ server: httpServer, path: '/ws' });
// ruleid: js-ws-server
const noPathServer = new WsServer({ noServer: true });
// ruleid: js-ws-server
const namespacedServer = new wsLib.WebSocketServer({
  port: 8081,
  'path': '/events',
});
// ruleid: js-ws-server
const plainServer = new WebSocketServer({ port: 8082 });

// --- websocket-endpoint: socket.io server ---------------------------------------------------

// ruleid: js-socketio-server
const ioServer = new SocketIOServer(httpServer, { path: '/ws', cors: { origin: '*' } });
// ruleid: js-socketio-server
const defaultPathServer = new SocketIOServer(3000);
// A call around the constructor is not a second server, and does not hide the route.
// ruleid: js-socketio-server
const instrumented = instrument(new SocketIOServer(httpServer, { path: '/metrics-ws' }));
// ruleid: js-ws-server
const wrapped = new Instrumented(new WsServer({ path: '/wrapped' }));

// --- socketio-namespace: logical channels over the server's one path -----------------------

// ruleid: js-socketio-namespace
const chat = ioServer.of('/chat');
// ruleid: js-socketio-namespace
ioServer.of(/^\/tenant-\d+$/).on('connection', (socket) => socket.join('tenant'));
export function registerAdmin(server: SocketIOServer): void {
  // ruleid: js-socketio-namespace
  server.of('/admin').use((socket, next) => next());
}
// ok: js-socketio-namespace
const levels = Array.of(1, 2, 3);

// --- websocket-endpoint: Hono -----------------------------------------------------------------

const honoApp = new Hono();
// ruleid: js-websocket-route
honoApp.get('/ws', upgradeWebSocket(() => ({ onMessage: (event, ws) => ws.send('pong') })));
// ruleid: js-websocket-route
honoApp.get(
  '/ws/admin',
  requireAdmin(),
  upgradeWebSocket(() => ({})),
);
// ok: js-websocket-route
honoApp.get('/health', (c) => c.text('ok'));

// --- websocket-endpoint: NestJS gateways -----------------------------------------------------

@Injectable()
// ruleid: nestjs-websocket-gateway
@WebSocketGateway({
  path: '/ws',
  cors: { origin: '*' },
})
export class EventsGateway {
  // Look-alike: a property decorator and a type, not a server.
  // ok: js-ws-server, js-socketio-server
  @WebSocketServer() server: Server;

  @SubscribeMessage('events')
  handleEvent(): string {
    return 'ok';
  }
}

// ruleid: nestjs-websocket-gateway
@WebSocketGateway(81, { namespace: 'chat' })
export abstract class BaseChatGateway {}

// ruleid: nestjs-websocket-gateway
@WebSocketGateway()
export class DefaultGateway {}

// ruleid: nestjs-websocket-gateway
@WebSocketGateway(8080)
export class PortGateway {}

// ruleid: nestjs-websocket-gateway
@WebSocketGateway({ namespace: '/notifications', path: '/realtime' })
export default class NotificationsGateway {}

// --- look-alikes that must not count ----------------------------------------------------------

// ok: js-websocket-client
let typedOnly: WebSocket | null = null;

export function sendOnly(ws: WebSocket, payload: string): void {
  // ok: js-websocket-client
  ws.send(payload);
  // ok: js-websocket-client
  if (ws.readyState === WebSocket.OPEN && ws instanceof WebSocket) {
    ws.close();
  }
}

// const legacy = new WebSocket('wss://legacy.example.invalid/socket');

// ok: js-websocket-client
const docs = 'Call new WebSocket("wss://example.invalid/ws") to connect.';

// ok: js-websocket-client
class MockWebSocket extends EventTarget {}
// ok: js-websocket-client
const mock = new MockWebSocket();

// ok: js-ws-server, js-socketio-server
const plainHttp = new http.Server();
// ok: js-websocket-route
const requireAdmin = () => async (_c: unknown, next: () => Promise<void>) => next();

export { typedOnly, docs, mock, plainHttp, honoApp };

// @fastify/websocket full route declarations: `wsHandler` beside the HTTP handler
export async function liveAlerts(fastify: FastifyInstance): Promise<void> {
  // ruleid: js-websocket-route
  fastify.route({
    method: 'GET',
    url: '/alerts',
    handler: (req, reply) => reply.send({ hint: 'open a websocket' }),
    wsHandler: (socket) => socket.send('subscribed'),
  });
  // ruleid: js-websocket-route
  fastify.route({ method: 'GET', url: '/feed', handler, wsHandler: onFeed });
  // ok: js-websocket-route
  fastify.route({ method: 'GET', url: '/audit', handler: (req, reply) => reply.send([]) });
}

// --- websocket-endpoint: chains that may set a prefix (Elysia, Hono) ---------------------------

// ruleid: js-websocket-route
const elysiaApi = new Elysia({ prefix: '/api' }).ws('/ws', { message(ws, m) { ws.send(m); } });
// a route in an Elysia group, and one chained after it
const elysiaGroups = new Elysia().group('/chat', (chat) =>
  // ruleid: js-websocket-route
  chat.ws('/rooms', { message() {} }).ws('/lobby', { message() {} }),
);
// ruleid: js-websocket-route
export const honoV2 = new Hono().basePath('/v2').get('/ws', upgradeWebSocket(() => ({})));
// ruleid: js-websocket-route
honoApp.basePath('/edge').get('/live', upgradeWebSocket(() => ({})));
// ruleid: js-websocket-route
alertsModule.router.ws('/alerts', (ws) => ws.send('ok'));
// ruleid: js-websocket-route
this.app.ws('/this', (ws) => ws.send('ok'));
