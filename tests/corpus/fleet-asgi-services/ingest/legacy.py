async def legacy_feed(request, ws):
    """Kept for firmware < 3.0, which cannot follow the /v2 move."""
    while True:
        await ws.send(await request.app.ctx.bus.next_reading())
