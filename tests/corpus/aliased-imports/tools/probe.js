// Health probe for the gateway, CommonJS with destructuring renames.
const { WebSocket: W } = require('ws');
const PlainSocket = require('ws').WebSocket;

const probe = new W('ws://localhost:8000/ws/health');
const second = new PlainSocket('ws://localhost:8000/ws/second');

module.exports = { probe, second };
