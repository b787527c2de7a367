import { Hono } from 'hono';
import chat from './chat';
import { upgradeWebSocket, websocket } from './ws';

const app = new Hono();

app.route('/chat', chat);
app.get(
  '/ws',
  upgradeWebSocket(() => ({
    onMessage(event, ws) {
      ws.send(String(event.data));
    },
  })),
);

Bun.serve({ port: 8787, fetch: app.fetch, websocket });
