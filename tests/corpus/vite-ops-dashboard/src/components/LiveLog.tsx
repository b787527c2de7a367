import { useEffect, useState } from 'react';

interface LiveLogProps {
  url: string;
  maxLines?: number;
}

// A log tail that opens its own socket to whatever URL the page hands it.
export function LiveLog(props: LiveLogProps) {
  const [lines, setLines] = useState<string[]>([]);
  useEffect(() => {
    const socket = new WebSocket(props.url);
    socket.onmessage = (event) =>
      setLines((old) => [...old, String(event.data)].slice(-(props.maxLines ?? 200)));
    return () => socket.close();
  }, [props.url, props.maxLines]);
  return <pre className="live-log">{lines.join('\n')}</pre>;
}
