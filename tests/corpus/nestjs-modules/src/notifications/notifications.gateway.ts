import { WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace } from 'socket.io';

// Same port and path as ChatGateway: Nest puts both namespaces on one socket.io server.
@WebSocketGateway({ namespace: '/notifications' })
export class NotificationsGateway {
  @WebSocketServer()
  namespace!: Namespace;

  notify(agent: string, text: string): void {
    this.namespace.to(`agent:${agent}`).emit('notification', { text });
  }
}
