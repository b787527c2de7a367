import express from 'express'
import expressWs from 'express-ws'
import * as alerts from './alerts'
import * as shell from './shell'

const { app } = expressWs(express())

app.use(express.json())
app.use('/ops', alerts.router)
// a route added to the imported router: reached below `/ops` too
alerts.router.ws('/ack', (ws) => ws.send('ack'))

app.listen(3004)
shell.attach(app)
