import { useEffect, useState } from 'react';
import { gatewayClient } from '../lib/websocket_client';

/**
 * Subscribe a component to one logical channel of the gateway. Named after the library hook
 * people expect, but it shares the single gateway connection instead of opening one.
 */
export function useWebSocket<T>(channel: string): T | undefined {
  const [last, setLast] = useState<T>();
  useEffect(() => gatewayClient.subscribe(channel, (payload) => setLast(payload as T)), [channel]);
  return last;
}
