import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { Position, PositionsService } from './positions.service';

// Vehicles report their position over /live.
@WebSocketGateway({ path: '/live' })
export class TrackingGateway {
  constructor(private readonly positions: PositionsService) {}

  @SubscribeMessage('position')
  onPosition(@MessageBody() position: Position): { event: string; data: number } {
    this.positions.record(position);
    return { event: 'ack', data: Date.now() };
  }
}
