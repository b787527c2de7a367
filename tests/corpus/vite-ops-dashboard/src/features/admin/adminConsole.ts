import { settings } from '../../config/env';

// The admin console talks to two sockets: the audit stream at a path under the gateway host,
// and the configured gateway itself.
export function openAdminSockets(base: string) {
  const audit = new WebSocket(base + '/admin/audit');
  const control = new WebSocket(settings.ws.url);
  return { audit, control };
}
