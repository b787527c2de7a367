/**
 * Alerts and metrics come from the platform's socket.io service: one engine.io connection
 * (the Manager) over `/ws`, with a namespace per stream multiplexed over it.
 */
import { Manager, type Socket } from 'socket.io-client';
import { API_ORIGIN } from '../config/env';

const manager = new Manager(API_ORIGIN, {
  path: '/ws',
  transports: ['websocket'],
  reconnectionDelayMax: 10000,
});

export const alerts: Socket = manager.socket('/alerts');

export function metricsStream(token: string): Socket {
  return manager.socket('/metrics', { auth: { token } });
}
