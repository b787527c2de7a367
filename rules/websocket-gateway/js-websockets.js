// Test cases for js-websockets.yaml (JavaScript, CommonJS require).
const WebSocket = require('ws');
const NodeWs = require('ws');
const LegacyServer = require('ws').Server;
const { WebSocketServer: WsServer } = require('ws');
const express = require('express');
const expressWs = require('express-ws');
const socketio = require('socket.io');
const ioClient = require('socket.io-client');

// --- frontend-websocket-client ----------------------------------------------------------------

// ruleid: js-websocket-client
const upstream = new WebSocket('ws://upstream.example.invalid/ws');
// ruleid: js-websocket-client
const other = new NodeWs(process.env.UPSTREAM_URL, { handshakeTimeout: 5000 });
// ruleid: js-socketio-client
const client = ioClient('http://localhost:3000', { path: '/ws' });
// ruleid: js-socketio-client
const legacyClient = ioClient.connect ? ioClient('http://localhost:3000') : null;

// --- websocket-endpoint -----------------------------------------------------------------------

const app = express();
expressWs(app);
const server = app.listen(3000);

// ruleid: js-ws-server
const wss = new WebSocket.Server({ server, path: '/ws' });
// ruleid: js-ws-server
const legacy = new LegacyServer({ port: 8081 });
// ruleid: js-ws-server
const modern = new WsServer({ noServer: true });
// ruleid: js-ws-server
const viaAlias = new NodeWs.Server({ port: 8082, path: '/alias' });

// ruleid: js-socketio-server
const io = socketio(server, { path: '/socket' });
// ruleid: js-socketio-server
const io2 = require('socket.io')(server);
// ruleid: js-socketio-namespace
io.of('/orders').on('connection', (socket) => socket.emit('ready'));

// ruleid: js-websocket-route
app.ws('/ws', (ws, req) => {
  // ok: js-websocket-client
  ws.on('message', (msg) => ws.send(msg));
});

const router = express.Router();
// ruleid: js-websocket-route
router.ws('/echo', function echo(ws) {
  ws.send('hello');
});

// --- look-alikes that must not count -------------------------------------------------------------

// ok: js-websocket-client, js-socketio-client
upstream.send(JSON.stringify({ type: 'ping' }));
// ok: js-websocket-client
const message = "new WebSocket('ws://not-a-call')";
/*
const commented = new WebSocket('ws://commented.example.invalid');
*/
// ok: js-ws-server, js-socketio-server
io.on('connection', (socket) => socket.emit('hello'));
// ok: js-websocket-route
app.get('/health', (req, res) => res.send('ok'));

module.exports = { upstream, other, client, legacyClient, wss, legacy, modern, viaAlias, io, io2, message, router };

// koa-easy-ws: `await ctx.ws()` upgrades in a plain middleware (its path is not read)
const websocket = require('koa-easy-ws');

koa.use(websocket());
koa.use(async (ctx, next) => {
  if (ctx.ws) {
    // ruleid: koa-websocket-route
    const socket = await ctx.ws();
    socket.send('hello');
    return;
  }
  await next();
});
