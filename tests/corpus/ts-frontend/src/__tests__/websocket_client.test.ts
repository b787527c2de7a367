// Excluded by the pack (`**/__tests__/**`): test doubles may open sockets freely.
import { describe, expect, it, vi } from 'vitest';
import { GatewayClient } from '../lib/websocket_client';

describe('GatewayClient', () => {
  it('connects to the gateway endpoint', () => {
    const sockets: string[] = [];
    vi.stubGlobal(
      'WebSocket',
      class {
        static OPEN = 1;
        constructor(url: string) {
          sockets.push(url);
        }
      },
    );
    new GatewayClient().connect();
    const probe = new WebSocket('ws://localhost/ws');
    expect(sockets).toEqual([`ws://${window.location.host}/ws`, 'ws://localhost/ws']);
    expect(probe).toBeDefined();
  });
});
