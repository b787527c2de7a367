import { createServer } from 'node:http'
import { Server } from 'socket.io'

const httpServer = createServer()
const io = new Server({ cors: { origin: '*' } })

io.on('connection', (socket) => socket.emit('hello'))
// the engine.io path is set where the server is attached, not where it is created
io.attach(httpServer, { path: '/notify' })
httpServer.listen(3006)
