const Koa = require('koa')
const websocket = require('koa-easy-ws')

const app = new Koa()
app.use(websocket())
app.use(async (ctx, next) => {
  if (ctx.ws) {
    const socket = await ctx.ws()
    socket.send('pow')
    return
  }
  await next()
})

module.exports = app
