import { Hono } from 'hono'
import { upgradeWebSocket } from 'hono/bun'

export const prices = new Hono().basePath('/v1')

prices.get('/ticks', upgradeWebSocket(() => ({ onOpen(_event, ws) { ws.send('hello') } })))
