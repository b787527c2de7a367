"""WebSocket Gateway router: the platform's single WebSocket endpoint.

Every realtime client (the web frontend, the agent console, the mobile app)
connects to ``/ws``. The router only accepts the socket and hands it to the
WebSocket Gateway service owned by the Post Office; it never routes messages
itself.

Do not add endpoints such as ``@router.websocket("/x")`` here: new realtime
features subscribe to logical channels through the Post Office instead.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, WebSocket, WebSocketDisconnect

from backend.smart_city.services.post_office.post_office_service import (
    PostOfficeService,
    get_post_office,
)

logger = logging.getLogger(__name__)

router = APIRouter(tags=["websocket-gateway"])


@router.websocket("/ws")
async def websocket_gateway(
    websocket: WebSocket,
    post_office: PostOfficeService = Depends(get_post_office),
) -> None:
    """Accept a client connection and hand it to the gateway service."""
    gateway = post_office.websocket_gateway
    client = await gateway.accept(websocket)
    try:
        while True:
            message = await websocket.receive_json()
            await gateway.handle_client_message(client, message)
    except WebSocketDisconnect:
        logger.info("client %s disconnected", client.session_id)
    finally:
        await gateway.release(client)


# The v2 protocol endpoint was folded back into /ws: channel negotiation now
# happens in the first message.
# @router.websocket("/ws/v2")
# async def websocket_gateway_v2(websocket: WebSocket) -> None: ...


@router.get("/websocket-info")
async def websocket_info(
    post_office: PostOfficeService = Depends(get_post_office),
) -> dict[str, Any]:
    """Tell clients where to connect and which logical channels exist."""
    return await post_office.get_websocket_endpoint()
