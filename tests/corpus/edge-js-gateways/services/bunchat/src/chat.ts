import { Elysia } from 'elysia'
import { rooms } from './rooms'
import { presence } from './presence'
import { audit } from './audit'

// The chat service: every route below `/chat`.
export const chat = new Elysia({ prefix: '/chat' })
  .use(rooms)
  .group('/v1', (v1) =>
    v1.ws('/notify', {
      message(ws, message) {
        ws.send(message)
      },
    }),
  )
  .group('/v2', { beforeHandle: requireSession }, (v2) => v2.use(presence))
  .use(audit)
  .get('/health', () => 'ok')
  .listen(3001)

function requireSession({ headers }: { headers: Record<string, string | undefined> }) {
  if (!headers.authorization) return new Response('unauthorized', { status: 401 })
}
