/** The one connection to the platform's gateway; components subscribe to channels here. */
type Listener = (payload: unknown) => void;

class GatewayClient {
  private socket: WebSocket | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();

  connect(): void {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    this.socket = new WebSocket(`${scheme}://${window.location.host}/ws`);
    this.socket.onmessage = (event: MessageEvent<string>) => {
      const { channel, payload } = JSON.parse(event.data);
      this.listeners.get(channel)?.forEach((listener) => listener(payload));
    };
  }

  subscribe(channel: string, listener: Listener): () => void {
    const set = this.listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(channel, set);
    this.socket?.send(JSON.stringify({ type: 'subscribe', channel }));
    return () => set.delete(listener);
  }
}

export const gatewayClient = new GatewayClient();
