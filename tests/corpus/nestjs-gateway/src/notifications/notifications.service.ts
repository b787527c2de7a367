import { Injectable } from '@nestjs/common';
import { ChannelRegistry } from '../events/channel.registry';

const USAGE =
  'Services publish through ChannelRegistry; they never call new WebSocket(...) or new Server(...) themselves.';

@Injectable()
export class NotificationsService {
  constructor(private readonly channels: ChannelRegistry) {}

  notifyUser(userId: string, text: string): number {
    return this.channels.deliver(`user:${userId}`, { text, usage: USAGE.length });
  }

  broadcast(text: string): number {
    // Old version, before channels:
    // const socket = new WebSocket('ws://localhost:3000/ws');
    // socket.send(text);
    return this.channels.deliver('system:broadcast', { text });
  }
}
