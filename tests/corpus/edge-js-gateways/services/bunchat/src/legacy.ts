import { Hono } from 'hono'
import { upgradeWebSocket } from 'hono/bun'

export const legacy = new Hono()
legacy.get('/socket', upgradeWebSocket(() => ({ onMessage(event, ws) { ws.send('legacy') } })))
