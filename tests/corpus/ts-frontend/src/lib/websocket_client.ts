/**
 * The one place the web app talks to the platform's WebSocket gateway (`/ws`).
 *
 * Components never open sockets themselves: they subscribe to logical channels through
 * `gatewayClient`, and the gateway fans messages out by channel.
 */
import type { GatewayEnvelope, GatewayListener } from '../types/messages';

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000, 10000];

function gatewayUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws`;
}

export class GatewayClient {
  private socket: WebSocket | null = null;
  private readonly listeners = new Map<string, Set<GatewayListener>>();
  private attempts = 0;
  private closedByUser = false;

  connect(): void {
    this.closedByUser = false;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/ws`);
    socket.onopen = () => {
      this.attempts = 0;
      for (const channel of this.listeners.keys()) {
        this.sendFrame({ type: 'subscribe', channel });
      }
    };
    socket.onmessage = (event: MessageEvent<string>) => this.dispatch(event.data);
    socket.onclose = () => this.scheduleReconnect();
    this.socket = socket;
  }

  url(): string {
    return gatewayUrl();
  }

  subscribe(channel: string, listener: GatewayListener): () => void {
    let channelListeners = this.listeners.get(channel);
    if (!channelListeners) {
      channelListeners = new Set();
      this.listeners.set(channel, channelListeners);
      this.sendFrame({ type: 'subscribe', channel });
    }
    channelListeners.add(listener);
    return () => {
      channelListeners?.delete(listener);
      if (channelListeners?.size === 0) {
        this.listeners.delete(channel);
        this.sendFrame({ type: 'unsubscribe', channel });
      }
    };
  }

  publish(channel: string, payload: unknown): void {
    this.sendFrame({ type: 'publish', channel, payload });
  }

  close(): void {
    this.closedByUser = true;
    this.socket?.close(1000, 'client closed');
    this.socket = null;
  }

  private sendFrame(frame: Omit<GatewayEnvelope, 'payload'> & { payload?: unknown }): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
    }
  }

  private dispatch(raw: string): void {
    const envelope = JSON.parse(raw) as GatewayEnvelope;
    this.listeners.get(envelope.channel)?.forEach((listener) => listener(envelope.payload));
  }

  private scheduleReconnect(): void {
    if (this.closedByUser) {
      return;
    }
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempts, RECONNECT_DELAYS_MS.length - 1)];
    this.attempts += 1;
    window.setTimeout(() => this.connect(), delay);
  }
}

export const gatewayClient = new GatewayClient();
