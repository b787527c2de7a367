import type { FastifyInstance } from 'fastify'

export default async function tickerRoutes(app: FastifyInstance): Promise<void> {
  app.get('/stream', { websocket: true }, (socket) => {
    socket.send(JSON.stringify({ type: 'tick' }))
  })
}
