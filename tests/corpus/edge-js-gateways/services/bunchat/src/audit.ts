import { Elysia } from 'elysia'
import { settings } from './settings'

// The audit feed's prefix comes from the deployment's settings.
export const audit = new Elysia({ prefix: settings.auditPrefix }).ws('/tail', {
  message(ws) {
    ws.send('audit')
  },
})
