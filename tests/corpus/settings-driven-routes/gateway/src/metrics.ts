import { WebSocketServer } from "ws";

const METRICS_PATH = "/metrics/ws";

export function startMetrics(port: number): WebSocketServer {
  return new WebSocketServer({ port, path: METRICS_PATH });
}
