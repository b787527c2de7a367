"""Version 1 of the public API: every router of the version under one prefix."""

from fastapi import APIRouter

from app.api.endpoints import chat, orders

api_router = APIRouter(prefix="/v1")
api_router.include_router(chat.router, prefix="/chat", tags=["chat"])
api_router.include_router(orders.router)
