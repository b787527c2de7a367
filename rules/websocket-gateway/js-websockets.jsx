// Test cases for js-websockets.yaml (JSX): look-alike hooks and the default socket.io-client export.
import React from 'react';
import io from 'socket.io-client';
// A project's own hook of the same name as react-use-websocket's: not a connection by itself.
import { useWebSocket } from './hooks/useWebSocket';

export function Notifications() {
  // ok: js-websocket-client
  const { lastMessage } = useWebSocket('notifications');
  // ruleid: js-socketio-client
  const socket = React.useMemo(() => io('https://push.example.invalid', { path: '/ws' }), []);
  // socket.io-client 2.x style.
  // ruleid: js-socketio-client
  const legacy = React.useMemo(() => io.connect('https://legacy.example.invalid'), []);
  // ruleid: js-websocket-client
  const raw = React.useMemo(() => new window.WebSocket(`wss://${window.location.host}/ws`), []);
  return <div data-socket={socket.id} data-raw={raw.url} data-legacy={legacy.id}>{lastMessage}</div>;
}
