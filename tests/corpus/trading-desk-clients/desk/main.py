from fastapi import FastAPI

from desk.gateway.websocket_gateway_router import router

app = FastAPI(title="Trading desk")
app.include_router(router)
