// Test cases for js-websockets.yaml (CommonJS): destructured socket.io imports.
const { io } = require('socket.io-client');
const { Server } = require('socket.io');
const { Server: HttpServer } = require('http');

// ruleid: js-socketio-client
const client = io('wss://events.example.invalid', { path: '/ws' });
// ruleid: js-socketio-server
const ioServer = new Server(3000, { path: '/ws' });
// ok: js-socketio-server
const plain = new HttpServer();

module.exports = { client, ioServer, plain };

// Renamed on import: the module behind the name decides, not the name as written.
const { WebSocket: W } = require('ws');
const PlainWebSocket = require('ws').WebSocket;
const { WebSocketServer: Hub } = require('ws');
const { io: connectEvents } = require('socket.io-client');

// ruleid: js-websocket-client
const upstream = new W('ws://upstream.example.invalid/ws');
// ruleid: js-websocket-client
const second = new PlainWebSocket('ws://upstream.example.invalid/second');
// ruleid: js-ws-server
const hub = new Hub({ path: '/hub' });
// ruleid: js-socketio-client
const events = connectEvents('wss://events.example.invalid');

module.exports.aliased = { upstream, second, hub, events };

// socket.io-client's Manager, renamed on require: one engine.io connection and its namespaces.
const { Manager: IoManager } = require('socket.io-client');
// ruleid: js-socketio-manager
const feeds = new IoManager('wss://events.example.invalid', { path: '/ws' });
// ruleid: js-socketio-manager-socket
const prices = feeds.socket('/prices');
// Not socket.io's: a Manager class of the file's own.
class Manager {
  socket(name) {
    return name;
  }
}
const pool = new Manager();
// ok: js-socketio-manager-socket
const slot = pool.socket('/slot');

module.exports.managers = { feeds, prices, slot };

// Koa websocket middleware (koa-websocket): `app.ws.use(route.all(path, handler))`
const Koa = require('koa');
const route = require('koa-route');
const websockify = require('koa-websocket');

const koaApp = websockify(new Koa());
// ok: koa-websocket-route
koaApp.ws.use((ctx, next) => next(ctx));
// ruleid: koa-websocket-route
koaApp.ws.use(route.all('/koa/:room', (ctx) => ctx.websocket.on('message', (m) => ctx.websocket.send(m))));
// ruleid: koa-websocket-route
koaApp.ws.use(async (ctx) => {
  ctx.websocket.send('welcome');
});
// ok: koa-websocket-route
koaApp.use(route.get('/koa/health', (ctx) => { ctx.body = 'ok'; }));
// ruleid: koa-websocket-route
koaApp.ws.use(wsRouter.routes());
