import { useEffect } from 'react';
import { ChatPanel } from './components/ChatPanel';
import { ConnectionStatus } from './components/ConnectionStatus';
import { connectPresence } from './features/presence/presenceSocket';
import { gatewayClient } from './lib/websocket_client';

export function App() {
  useEffect(() => {
    gatewayClient.connect();
    const presence = connectPresence((event) => console.debug('presence', event));
    return () => {
      presence.disconnect();
      gatewayClient.close();
    };
  }, []);

  return (
    <main>
      <header>
        <h1>Platform</h1>
        <ConnectionStatus />
      </header>
      <ChatPanel roomId="general" />
    </main>
  );
}
