import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';

// A port of its own: Nest starts a second socket.io server for it, a second endpoint.
@WebSocketGateway(3001, {
  namespace: 'presence',
  transports: ['websocket'],
})
export class PresenceGateway implements OnGatewayConnection {
  handleConnection(socket: Socket): void {
    socket.emit('online', { id: socket.id });
  }
}
