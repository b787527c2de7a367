import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const metrics = fp(
  async (app: FastifyInstance) => {
    app.get('/live', { websocket: true }, (socket) => {
      socket.send('{}')
    })
  },
  { name: 'metrics' },
)
