import { SHARED_URL } from '../shared';

export function openNews(): WebSocket {
  return new WebSocket(`${SHARED_URL}?topic=news`);
}

export function openHeadlines(): WebSocket {
  return new WebSocket(SHARED_URL);
}
