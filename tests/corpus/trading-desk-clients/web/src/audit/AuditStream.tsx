import { useEffect, useState } from 'react';
import { AUDIT_URL as AUDIT_STREAM } from '../config';

// Compliance wanted the audit trail live, so this component opened its own socket.
export function AuditStream() {
  const [lines, setLines] = useState<string[]>([]);
  useEffect(() => {
    const socket = new WebSocket(AUDIT_STREAM);
    socket.onmessage = (event) => setLines((previous) => [...previous, event.data]);
    return () => socket.close();
  }, []);
  return <pre>{lines.join('\n')}</pre>;
}
