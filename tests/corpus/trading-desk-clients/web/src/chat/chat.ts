import { io } from 'socket.io-client';
import { CHAT_URL, SOCKET_PATH } from '../config';

// Trader chat joins the gateway's /chat namespace over its engine.io path.
export const chat = io(CHAT_URL, { path: SOCKET_PATH, transports: ['websocket'] });
