import uWS from 'uWebSockets.js';

uWS
  .App()
  .ws('/market/*', {
    compression: uWS.SHARED_COMPRESSOR,
    maxPayloadLength: 16 * 1024,
    message: (ws, message, isBinary) => {
      ws.send(message, isBinary);
    },
  })
  .get('/health', (res) => res.end('ok'))
  .listen(9001, (token) => {
    if (!token) process.exit(1);
  });
