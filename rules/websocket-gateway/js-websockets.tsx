// Test cases for js-websockets.yaml (TSX: React components).
import { useEffect, useRef, useState } from 'react';
import useWebSocket, { ReadyState } from 'react-use-websocket';

type Props = { room: string; baseUrl: string };

export function ChatRoom({ room, baseUrl }: Props) {
  const socketRef = useRef<WebSocket | null>(null);
  const [messages, setMessages] = useState<string[]>([]);

  useEffect(() => {
    // ruleid: js-websocket-client
    const socket = new WebSocket(`${baseUrl}/api/ws/chat/${room}`);
    socket.onmessage = (event) => setMessages((prev) => [...prev, String(event.data)]);
    socketRef.current = socket;
    return () => socket.close();
  }, [room, baseUrl]);

  // ruleid: js-websocket-client
  const { lastMessage, readyState } = useWebSocket('wss://example.invalid/ws', {
    shouldReconnect: () => true,
  });

  return (
    <section>
      {/* ok: js-websocket-client */}
      <p>{readyState === ReadyState.OPEN ? 'new WebSocket("open")' : 'closed'}</p>
      {/* new WebSocket(`${baseUrl}/ws`) is not a call inside JSX text */}
      <ul>
        {messages.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
      <span>{lastMessage?.data}</span>
    </section>
  );
}
