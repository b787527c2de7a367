import { useEffect, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { connectChat } from '../lib/websocket_client';

export interface ChatMessage {
  ticket: string;
  author: string;
  text: string;
}

// Uses the client module; opens no connection of its own. `socket.io('/x')` in a comment is
// not one either.
export function useChat(token: string, ticket: string): ChatMessage[] {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  useEffect(() => {
    const socket: Socket = connectChat(token);
    socket.emit('join', { ticket });
    socket.on('message', (message: ChatMessage) => setMessages((all) => [...all, message]));
    return () => {
      socket.disconnect();
    };
  }, [token, ticket]);
  return messages;
}
