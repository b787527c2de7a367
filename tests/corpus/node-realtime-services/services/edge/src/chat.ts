import { Hono } from 'hono';
import { upgradeWebSocket } from './ws';

const chat = new Hono();

chat.get(
  '/rooms/:id',
  upgradeWebSocket((c) => ({
    onMessage(event, ws) {
      ws.send(`${c.req.param('id')}: ${event.data}`);
    },
  })),
);

chat.get('/rooms', (c) => c.json({ rooms: [] }));

export default chat;
