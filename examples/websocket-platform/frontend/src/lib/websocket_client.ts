// The one place the frontend opens a websocket: to the gateway's /ws endpoint.
export type ChannelMessage = { channel: string; payload: unknown };

export function connectGateway(onMessage: (message: ChannelMessage) => void): WebSocket {
  const socket = new WebSocket(`${window.location.origin.replace(/^http/, "ws")}/ws`);
  socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
  return socket;
}

export function send(socket: WebSocket, channel: string, payload: unknown): void {
  socket.send(JSON.stringify({ channel, payload }));
}
