// A Node realtime server beside the gateway, with every import renamed.
import * as io from 'socket.io';
import WS from 'ws';
import { WebSocketServer as Hub } from 'ws';
import { createServer } from 'node:http';

const http = createServer();

export const realtime = new io.Server(http, { path: '/realtime' });
export const legacy = new WS.Server({ noServer: true });
export const hub = new Hub({ server: http, path: '/hub' });
