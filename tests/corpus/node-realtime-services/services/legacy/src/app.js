const express = require('express');
const expressWs = require('express-ws');

const app = express();
expressWs(app);

const feeds = require('./feeds');

app.use(express.json());
app.use('/legacy', feeds);

app.ws('/ws/echo', (ws) => {
  ws.on('message', (msg) => ws.send(msg));
});

app.listen(4000);
