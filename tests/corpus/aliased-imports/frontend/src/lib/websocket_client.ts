// The sanctioned client: one reconnecting socket to the gateway endpoint.
import ReconnectingSocket from 'reconnecting-websocket';

export function connectGateway(host: string): ReconnectingSocket {
  return new ReconnectingSocket(`wss://${host}/ws`);
}
