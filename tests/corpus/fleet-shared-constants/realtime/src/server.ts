import { createServer } from "node:http";
import { WebSocketServer } from "ws";

import { MAP_WS_PATH, METRICS_WS_PATH, PORT } from "./config";
import { BOARD_WS_PATH } from "./paths";

const http = createServer();

// the dispatch map's live layer
const map = new WebSocketServer({ server: http, path: MAP_WS_PATH });
map.on("connection", (socket) => socket.send(JSON.stringify({ type: "hello" })));

// ops metrics, path set per deployment
const metrics = new WebSocketServer({ server: http, path: METRICS_WS_PATH });
metrics.on("connection", (socket) => socket.close());

// the wallboard, through the old re-export
const board = new WebSocketServer({ server: http, path: BOARD_WS_PATH });
board.on("connection", (socket) => socket.close());

http.listen(PORT);
