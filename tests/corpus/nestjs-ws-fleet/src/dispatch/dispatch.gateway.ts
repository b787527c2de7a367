import {
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Server } from 'ws';
import { PositionsService } from '../tracking/positions.service';

// Dispatch consoles connect to the same path as the vehicles.
@WebSocketGateway({
  path: '/live',
})
export class DispatchGateway {
  @WebSocketServer()
  server!: Server;

  constructor(private readonly positions: PositionsService) {}

  @SubscribeMessage('snapshot')
  snapshot(@MessageBody() _body: unknown): { event: string; data: unknown } {
    return { event: 'snapshot', data: this.positions.all() };
  }
}
