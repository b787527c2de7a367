import { Elysia } from 'elysia'
import { Hono } from 'hono'
import { upgradeWebSocket } from 'hono/bun'
const api = new Elysia({ prefix: '/api' }).ws('/ws', { message(ws, m) { ws.send(m) } })
export const app = new Hono().basePath('/v2')
app.get('/ws', upgradeWebSocket(() => ({ onMessage() {} })))
export default { port: 3000, fetch: app.fetch }
