// Upstream bridge: the `ws` client under a renamed named import.
import { WebSocket as WSClient } from 'ws';

export const bridge = new WSClient('wss://upstream.example.invalid/bridge');
