import Fastify from 'fastify'
import websocket from '@fastify/websocket'
import fp from 'fastify-plugin'
import tickerRoutes from './routes/ticker.js'
import { metrics } from './plugins/metrics.js'
import quotes from './routes/quotes.js'

const app = Fastify({ logger: true })

await app.register(websocket)
// fastify-plugin: the plugin is not encapsulated, so `/ticker` is not applied
await app.register(fp(tickerRoutes), { prefix: '/ticker' })
await app.register(
  async (internal) => {
    // a wrapped plugin takes the prefix of the instance it is registered on
    await internal.register(metrics, { prefix: '/metrics' })
    await internal.register(quotes, { prefix: '/quotes' })
  },
  { prefix: '/internal' },
)

await app.listen({ port: 3003 })
