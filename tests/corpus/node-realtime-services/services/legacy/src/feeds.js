const express = require('express');

const router = express.Router();

router.ws('/quotes', (ws, req) => {
  ws.send(JSON.stringify({ symbol: req.query.symbol, price: 0 }));
});

router.get('/quotes.json', (req, res) => res.json([]));

module.exports = router;
