import { useEffect, useState } from 'react';
import { gatewayClient } from '../lib/websocket_client';
import { SOCKET_STATE_LABELS, type SocketLike } from '../types/messages';
import { useWebSocket } from '../hooks/useWebSocket';

interface ConnectionStatusProps {
  // A socket handed in by the caller: only its type is used here.
  socket?: SocketLike | WebSocket | null;
}

const HELP_TEXT =
  'If the badge stays red, check the proxy: the app connects with new WebSocket("/ws") through gatewayClient.';

export function ConnectionStatus({ socket }: ConnectionStatusProps) {
  const [state, setState] = useState<number>(WebSocket.CONNECTING);
  const heartbeat = useWebSocket<{ at: string }>('system:heartbeat');

  useEffect(() => {
    const timer = window.setInterval(() => setState(socket?.readyState ?? WebSocket.CLOSED), 1000);
    return () => window.clearInterval(timer);
  }, [socket]);

  // Before the gateway we connected directly:
  // const direct = new WebSocket(`wss://${window.location.host}/api/ws/status`);
  // direct.onmessage = (event) => setState(JSON.parse(event.data).state);

  /*
   * const legacy = new WebSocket('wss://status.example.invalid/socket');
   */

  return (
    <span title={HELP_TEXT} data-url={gatewayClient.url()} className={`status status-${state}`}>
      {SOCKET_STATE_LABELS[state]} {heartbeat?.at}
    </span>
  );
}
