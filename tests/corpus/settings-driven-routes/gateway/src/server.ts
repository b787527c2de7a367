import { createServer } from "node:http";
import { WebSocketServer } from "ws";

import { config } from "./config";

const http = createServer();
const wss = new WebSocketServer({ server: http, path: config.path });

wss.on("connection", (socket) => {
  socket.on("message", (data) => socket.send(data));
});

http.listen(config.port);
