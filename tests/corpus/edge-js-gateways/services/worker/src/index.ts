export interface Env {
  ROOMS: DurableObjectNamespace
}

// The worker accepts sockets on /connect and hands room sockets to a Durable Object.
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/connect') {
      if (request.headers.get('Upgrade') !== 'websocket') {
        return new Response('expected a websocket', { status: 426 })
      }
      const pair = new WebSocketPair()
      const [client, server] = Object.values(pair)
      server.accept()
      server.addEventListener('message', (event) => server.send(String(event.data)))
      return new Response(null, { status: 101, webSocket: client })
    }
    if (url.pathname.startsWith('/rooms/')) {
      const id = env.ROOMS.idFromName(url.pathname.slice('/rooms/'.length))
      return env.ROOMS.get(id).fetch(request)
    }
    return new Response('not found', { status: 404 })
  },
}

export class Room {
  constructor(private readonly state: DurableObjectState) {}

  async fetch(_request: Request): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair()
    this.state.acceptWebSocket(server)
    return new Response(null, { status: 101, webSocket: client })
  }
}
