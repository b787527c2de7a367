import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { GatewayClient } from './gateway.types';

// A base class some teams decorate "to share the options". No module registers it, so Nest
// never serves it; subclasses declare their own @WebSocketGateway.
@WebSocketGateway({ namespace: 'base' })
export abstract class BaseGateway implements OnGatewayConnection, OnGatewayDisconnect {
  protected readonly logger = new Logger(this.constructor.name);

  handleConnection(client: GatewayClient): void {
    this.logger.debug(`connected ${client.id}`);
  }

  handleDisconnect(client: GatewayClient): void {
    this.logger.debug(`disconnected ${client.id}`);
  }
}
