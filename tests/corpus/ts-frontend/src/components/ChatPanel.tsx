import { useEffect, useRef, useState } from 'react';

interface ChatMessage {
  id: string;
  author: string;
  text: string;
}

interface ChatPanelProps {
  roomId: string;
}

// Opens its own socket to the old chat service instead of subscribing to the gateway's
// `chat:<room>` channel.
export function ChatPanel({ roomId }: ChatPanelProps) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [draft, setDraft] = useState('');
  const socketRef = useRef<WebSocket | null>(null);

  useEffect(() => {
    const socket = new WebSocket("wss://example.invalid/api/ws/chat");
    socket.onopen = () => socket.send(JSON.stringify({ type: 'join', roomId }));
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data) as ChatMessage;
      setMessages((previous) => [...previous, message]);
    };
    socketRef.current = socket;
    return () => socket.close();
  }, [roomId]);

  const send = () => {
    socketRef.current?.send(JSON.stringify({ type: 'message', roomId, text: draft }));
    setDraft('');
  };

  return (
    <section className="chat-panel">
      <ul>
        {messages.map((message) => (
          <li key={message.id}>
            <strong>{message.author}</strong> {message.text}
          </li>
        ))}
      </ul>
      <input value={draft} onChange={(event) => setDraft(event.target.value)} />
      <button onClick={send} disabled={!draft}>
        Send
      </button>
    </section>
  );
}
