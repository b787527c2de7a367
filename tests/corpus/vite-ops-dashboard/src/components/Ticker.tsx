import { useEffect, useState } from 'react';

// The price ticker connects to the ticker feed next to the gateway, not through it.
export function Ticker({ symbol }: { symbol: string }) {
  const [price, setPrice] = useState<number | null>(null);
  useEffect(() => {
    const origin = window.location.origin.replace(/^http/, 'ws');
    const socket = new WebSocket(`${origin}/ws/ticker?symbol=${symbol}`);
    socket.onmessage = (event) => setPrice(Number(event.data));
    return () => socket.close();
  }, [symbol]);
  return <span className="ticker">{price ?? '—'}</span>;
}
