import { GATEWAY_URL } from '../config';

export type DeskMessage = { channel: string; payload: unknown };

// The desk's one connection to the gateway; every feature subscribes to channels on it.
export function connectDesk(onMessage: (message: DeskMessage) => void): WebSocket {
  const socket = new WebSocket(GATEWAY_URL);
  socket.onmessage = (event) => onMessage(JSON.parse(event.data));
  return socket;
}
