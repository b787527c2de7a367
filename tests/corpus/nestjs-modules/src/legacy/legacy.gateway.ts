import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

// The old agent console's gateway. Its module was deleted when the console was retired, so no
// module provides it any more: Nest does not serve it.
@WebSocketGateway({ path: '/legacy-ws' })
export class LegacyConsoleGateway {
  @SubscribeMessage('ping')
  ping(): string {
    return 'pong';
  }
}
