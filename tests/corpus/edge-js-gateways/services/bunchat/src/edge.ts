import { Hono } from 'hono'
import { createBunWebSocket } from 'hono/bun'
import { prices } from './prices'
import { legacy } from './legacy'

const { upgradeWebSocket, websocket } = createBunWebSocket()

const root = new Hono()
const api = root.basePath('/api')

api.get(
  '/stream',
  upgradeWebSocket(() => ({
    onMessage(event, ws) {
      ws.send(String(event.data))
    },
  })),
)
api.route('/prices', prices)
root.get('/', (c) => c.text('edge'))
// the legacy app's handler, below /legacy (Hono strips the mount path before it runs)
root.mount('/legacy', legacy.fetch)

Bun.serve({ port: 3002, fetch: root.fetch, websocket })
