import * as sio from 'socket.io-client';

// The support vendor's socket.io service, on its own host and default path.
const SUPPORT_URL = 'https://support.example.invalid/desk';

export function connectSupport(ticketId: string) {
  const socket = sio.io(SUPPORT_URL, { query: { ticketId } });
  const vendor = new sio.Manager('https://support.example.invalid', { reconnection: false });
  return { socket, lobby: vendor.socket('/lobby') };
}
