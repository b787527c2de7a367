import { Injectable } from '@nestjs/common';
import type { GatewayClient } from '../common/gateway.types';
import { isOpen } from '../common/gateway.types';

/** Which clients listen to which logical channel. */
@Injectable()
export class ChannelRegistry {
  private readonly members = new Map<string, Set<GatewayClient>>();

  join(channel: string, client: GatewayClient): void {
    const members = this.members.get(channel) ?? new Set<GatewayClient>();
    members.add(client);
    this.members.set(channel, members);
    client.channels.add(channel);
  }

  leave(channel: string, client: GatewayClient): void {
    this.members.get(channel)?.delete(client);
    client.channels.delete(channel);
  }

  deliver(channel: string, payload: unknown): number {
    const frame = JSON.stringify({ channel, payload });
    let delivered = 0;
    this.members.get(channel)?.forEach((client) => {
      if (isOpen(client)) {
        client.send(frame);
        delivered += 1;
      }
    });
    return delivered;
  }
}
