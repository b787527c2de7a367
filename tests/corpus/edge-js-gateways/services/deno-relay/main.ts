// A Deno relay: sockets on /relay only.
const peers = new Set<WebSocket>()

Deno.serve({ port: 8080 }, (req) => {
  const url = new URL(req.url)
  if (url.pathname !== '/relay') {
    return new Response('not found', { status: 404 })
  }
  const { socket, response } = Deno.upgradeWebSocket(req)
  socket.onopen = () => peers.add(socket)
  socket.onclose = () => peers.delete(socket)
  socket.onmessage = (event) => {
    for (const peer of peers) peer.send(event.data)
  }
  return response
})
