import { useEffect } from 'react';
import blotterUrl from '../endpoints';

export function Blotter({ onFill }: { onFill: (fill: unknown) => void }) {
  useEffect(() => {
    const socket = new WebSocket(blotterUrl);
    socket.onmessage = (event) => onFill(JSON.parse(event.data));
    return () => socket.close();
  }, [onFill]);
  return null;
}
