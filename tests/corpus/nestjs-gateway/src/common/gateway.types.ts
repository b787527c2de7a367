// Types shared by the gateway and its collaborators. Importing the `ws` client class for its
// type opens nothing.
import { WebSocket } from 'ws';

export type GatewayClient = WebSocket & { id: string; channels: Set<string> };

export interface ChannelFrame {
  event: 'subscribe' | 'unsubscribe' | 'publish';
  data: { channel: string; payload?: unknown };
}

export function isOpen(client: WebSocket): boolean {
  return client.readyState === WebSocket.OPEN;
}
