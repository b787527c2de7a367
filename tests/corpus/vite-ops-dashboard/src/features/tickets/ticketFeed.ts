import { buildSocketUrl } from '../../lib/urls';

export interface TicketEvent {
  id: string;
  status: 'open' | 'closed';
}

// The ticket feed builds its URL with the shared helper: which path it reaches is decided
// by buildSocketUrl when the code runs.
export function openTicketFeed(onEvent: (event: TicketEvent) => void): WebSocket {
  const socket = new WebSocket(buildSocketUrl('/tickets'));
  socket.onmessage = (event) => onEvent(JSON.parse(event.data));
  return socket;
}
