const Koa = require('koa')
const route = require('koa-route')
const websockify = require('koa-websocket')

const app = websockify(new Koa())

// passes every socket on: no endpoint of its own
app.ws.use((ctx, next) => next(ctx))
app.ws.use(
  route.all('/live/:channel', (ctx, channel) => {
    ctx.websocket.send(`joined ${channel}`)
  }),
)

app.use(route.get('/health', (ctx) => {
  ctx.body = 'ok'
}))

app.listen(3005)
