import { randomUUID } from 'node:crypto';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { Server } from 'ws';
import type { ChannelFrame, GatewayClient } from '../common/gateway.types';
import { ChannelRegistry } from './channel.registry';

/**
 * The platform's single websocket endpoint. Clients subscribe to logical channels; services
 * publish through ChannelRegistry, never to sockets.
 */
@WebSocketGateway({
  path: '/ws',
  clientTracking: true,
})
export class EventsGateway implements OnGatewayConnection {
  @WebSocketServer()
  server!: Server;

  constructor(private readonly channels: ChannelRegistry) {}

  handleConnection(client: GatewayClient): void {
    client.id = randomUUID();
    client.channels = new Set();
  }

  @SubscribeMessage('subscribe')
  subscribe(
    @ConnectedSocket() client: GatewayClient,
    @MessageBody() body: ChannelFrame['data'],
  ): { event: string; data: string } {
    this.channels.join(body.channel, client);
    return { event: 'subscribed', data: body.channel };
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() client: GatewayClient, @MessageBody() body: ChannelFrame['data']): void {
    this.channels.leave(body.channel, client);
  }

  @SubscribeMessage('publish')
  publish(@MessageBody() body: ChannelFrame['data']): number {
    return this.channels.deliver(body.channel, body.payload);
  }
}
