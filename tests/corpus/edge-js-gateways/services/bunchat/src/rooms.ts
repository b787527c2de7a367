import { Elysia, t } from 'elysia'

export const rooms = new Elysia({ name: 'rooms', prefix: '/rooms' }).ws('/:id', {
  body: t.String(),
  open(ws) {
    ws.subscribe(ws.data.params.id)
  },
  message(ws, message) {
    ws.publish(ws.data.params.id, message)
  },
})
