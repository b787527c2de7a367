// Built with the server's engine.io path (server/settings.py SOCKETIO_PATH).
export const SOCKET_PATH = '/rt';

export const baseSocketOptions = {
  transports: ['websocket'],
  withCredentials: true,
};
