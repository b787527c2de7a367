import type { Server } from 'node:http'
import { WebSocketServer } from 'ws'

// A shell bridge: the http server's `upgrade` handler decides which requests it takes.
const wss = new WebSocketServer({ noServer: true })

export function attach(server: Server): void {
  server.on('upgrade', (request, socket, head) => {
    if (request.url?.startsWith('/shell')) {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
    }
  })
}
