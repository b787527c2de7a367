import { API_ORIGIN } from '../config/env';

// Turns the API origin into a websocket URL for a path of the gateway host.
export function buildSocketUrl(path: string): string {
  return `${API_ORIGIN.replace(/^http/, 'ws')}${path}`;
}
