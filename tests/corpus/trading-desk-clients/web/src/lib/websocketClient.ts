import { WS_PATH } from '../config';

// Same-origin connection for the embedded desk (served by the gateway's host).
export function connectEmbedded(): WebSocket {
  const origin = window.location.origin.replace(/^http/, 'ws');
  return new WebSocket(`${origin}${WS_PATH}`);
}
