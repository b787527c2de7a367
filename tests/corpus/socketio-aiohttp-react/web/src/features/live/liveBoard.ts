import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';

// The wallboard reads its options from the deployment: its engine.io path is whatever they say.
declare const WALLBOARD_OPTIONS: Partial<ManagerOptions & SocketOptions>;

export function connectWallboard(url: string) {
  return io(url, WALLBOARD_OPTIONS);
}
