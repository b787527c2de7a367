import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { TripHistoryService } from './trip-history.service';

// Streams a recorded trip frame by frame. Not served until AppModule imports ReplayModule.
@WebSocketGateway({ path: '/replay' })
export class ReplayGateway {
  constructor(private readonly history: TripHistoryService) {}

  @SubscribeMessage('replay')
  replay(@MessageBody() trip: string): { event: string; data: string[] } {
    return { event: 'frames', data: this.history.frames(trip) };
  }
}
