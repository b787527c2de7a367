// Where the desk's browser code connects; one module, so a deployment changes it in one place.
export const WS_PATH = '/ws';
export const GATEWAY_URL = 'wss://desk.example.invalid/ws';
export const AUDIT_URL: string = 'wss://desk.example.invalid/audit/stream';
export const QUOTES_URL: string = import.meta.env.VITE_QUOTES_URL;
export const SOCKET_PATH = '/ws';
export const CHAT_URL = 'https://desk.example.invalid/chat';
