import express from 'express'

export const router = express.Router()

router.ws('/alerts', (ws) => {
  ws.on('message', (message) => ws.send(message))
})
router.get('/websocket-status', (_req, res) => res.json({ ok: true }))
