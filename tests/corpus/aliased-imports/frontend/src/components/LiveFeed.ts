// A component that opens its own connections under renamed imports.
import * as feedClient from 'socket.io-client';
import { io as connectEvents } from 'socket.io-client';

export function openFeed(): void {
  const feed = feedClient.io('https://feed.example.invalid', { path: '/feed' });
  feed.on('update', () => undefined);
  const events = connectEvents('https://events.example.invalid');
  events.on('event', () => undefined);
}
