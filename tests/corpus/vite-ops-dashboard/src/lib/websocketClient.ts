/**
 * The dashboard's one connection to the platform gateway. Its URL comes from the deployment
 * (VITE_WS_URL); a kiosk build without one falls back to the public gateway.
 */
import { WS_URL } from '../config/env';

const KIOSK_GATEWAY = 'wss://ops.example.invalid/ws';

export type Listener = (payload: unknown) => void;

export class GatewayClient {
  private socket: WebSocket | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();

  connect(kiosk = false): void {
    const socket = kiosk
      ? new WebSocket(KIOSK_GATEWAY)
      : new WebSocket(WS_URL);
    socket.onmessage = (event: MessageEvent<string>) => {
      const { channel, payload } = JSON.parse(event.data);
      this.listeners.get(channel)?.forEach((listener) => listener(payload));
    };
    this.socket = socket;
  }

  subscribe(channel: string, listener: Listener): () => void {
    const set = this.listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(channel, set);
    this.socket?.send(JSON.stringify({ type: 'subscribe', channel }));
    return () => set.delete(listener);
  }
}

export const gateway = new GatewayClient();
