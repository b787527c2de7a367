import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { ChatService } from './chat.service';

@WebSocketGateway({ namespace: 'chat', cors: { origin: process.env.DESK_ORIGIN } })
export class ChatGateway {
  @WebSocketServer()
  namespace!: Namespace;

  constructor(private readonly chat: ChatService) {}

  @SubscribeMessage('message')
  onMessage(@ConnectedSocket() socket: Socket, @MessageBody() body: { ticket: string; text: string }): void {
    this.chat.record(body.ticket, body.text);
    this.namespace.to(`ticket:${body.ticket}`).emit('message', { from: socket.id, ...body });
  }
}
