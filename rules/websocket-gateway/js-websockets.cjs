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
