import { useChat } from '../hooks/useChat';

// const legacy = io('https://desk.example.invalid/chat', { path: '/socket.io' });

export function ChatRoom({ token, ticket }: { token: string; ticket: string }) {
  const messages = useChat(token, ticket);
  return (
    <ul>
      {messages.map((message, index) => (
        <li key={index}>
          <b>{message.author}</b> {message.text}
        </li>
      ))}
    </ul>
  );
}
