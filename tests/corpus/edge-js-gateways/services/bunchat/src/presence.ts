import { Elysia } from 'elysia'

const presence = new Elysia({ prefix: '/presence' })

presence.ws('/live', {
  open(ws) {
    ws.subscribe('presence')
  },
})

// an HTTP route with "websocket" in its path is no endpoint
presence.get('/websocket-help', () => 'connect to /chat/v2/presence/live')

export { presence }
