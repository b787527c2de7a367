import type { FastifyInstance } from 'fastify'

const quotes = async (app: FastifyInstance): Promise<void> => {
  app.get('/feed', { websocket: true }, (socket) => {
    socket.send('quote')
  })
}

export default quotes
