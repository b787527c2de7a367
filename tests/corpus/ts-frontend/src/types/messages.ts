// Wire format of the gateway's frames. Type-only: nothing here opens a connection.

export type GatewayFrameType = 'subscribe' | 'unsubscribe' | 'publish' | 'message';

export interface GatewayEnvelope {
  type: GatewayFrameType;
  channel: string;
  payload: unknown;
}

export type GatewayListener = (payload: unknown) => void;

/** What tests and adapters need from a socket: a structural subset of the DOM `WebSocket`. */
export type SocketLike = Pick<WebSocket, 'send' | 'close' | 'readyState'>;

export const SOCKET_STATE_LABELS: Record<number, string> = {
  [WebSocket.CONNECTING]: 'connecting',
  [WebSocket.OPEN]: 'open',
  [WebSocket.CLOSING]: 'closing',
  [WebSocket.CLOSED]: 'closed',
};
