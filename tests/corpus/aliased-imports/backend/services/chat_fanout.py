"""Chat fan-out done by hand, outside the gateway, with aliased imports."""

from asgiref.sync import async_to_sync as sync
from channels.layers import get_channel_layer as layer_for
from starlette.websockets import WebSocket as Socket


async def fan_out(connections: list[Socket], message: str) -> None:
    for conn in connections:
        await conn.send_text(message)


def announce(room: str, message: str) -> None:
    layer = layer_for()
    sync(layer.group_send)("chat-lobby", {"type": "chat.message", "text": message})
