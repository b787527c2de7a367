# Test cases for channels.yaml (semgrep --test); not a module to import.
# ruff: noqa
import json

import redis.asyncio as redis

AGENT_CHANNEL = "agent:guide"


class WebSocketGatewayService:
    async def route(self, channel: str, message: dict) -> None:
        # ruleid: channel-publish
        await self.redis.publish(f"ws:{channel}", json.dumps(message))
        # ruleid: channel-publish
        await self.redis.publish("pillar:content", "hello")
        # ruleid: channel-publish
        await broadcast.publish(channel="guide", message="hi")
        # a module constant is read as its value
        # ruleid: channel-publish
        self.redis.spublish(AGENT_CHANNEL, "payload")
        # ok: channel-publish
        self.event_bus.publish(UserLoggedIn(user_id=1))

    async def listen(self) -> None:
        pubsub = self.redis.pubsub()
        # ruleid: channel-subscribe
        await pubsub.subscribe("guide", "pillar:content")
        # ruleid: channel-subscribe
        await pubsub.psubscribe("pillar:*")
        # ruleid: channel-subscribe
        async with broadcast.subscribe(channel="guide") as subscriber:
            pass
        # ok: channel-subscribe
        observable.subscribe(lambda value: print(value))
        # ok: channel-subscribe
        observable.subscribe(on_next=print)


class ContentService:
    async def notify(self, agent_id: str, payload: dict) -> None:
        # wrapper APIs are not facts; the gateway's publish underneath them is
        # ok: channel-publish
        await self.post_office.publish_to_agent_channel(agent_id, payload)
        # ok: channel-subscribe
        await self.post_office.subscribe_to_channel("pillar:content", self.on_event)
        # ruleid: channel-publish
        await self.gateway.publish("pillar:content", payload)
        # ok: channel-subscribe
        await self.pubsub.unsubscribe("pillar:content")
        # ok: channel-publish
        await self.gateway.republish("pillar:content", payload)


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        # ruleid: channel-subscribe
        await self.channel_layer.group_add(self.room_group_name, self.channel_name)
        # ok: channel-subscribe
        await self.channel_layer.group_discard("lobby", self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        # ruleid: channel-publish
        await self.channel_layer.group_send(
            "lobby", {"type": "lobby.activity", "room": self.room_name}
        )


def notify_from_signal(instance) -> None:
    layer = get_channel_layer()
    # ruleid: channel-publish
    async_to_sync(layer.group_send)("notifications", {"type": "notify", "id": instance.pk})
    # ruleid: channel-subscribe
    async_to_sync(layer.group_add)("notifications", "specific.channel")


class ConnectionManager:
    async def broadcast(self, message: str) -> None:
        # ruleid: socket-routing-loop
        for connection in self.active_connections:
            await connection.send_text(message)

    async def broadcast_json(self, payload: dict) -> None:
        # ruleid: socket-routing-loop
        for user_id, ws in self.connections.items():
            if user_id != payload["sender"]:
                try:
                    await ws.send_json(payload)
                    await ws.send_text("sent")
                except RuntimeError:
                    pass

    async def gather(self, message: str) -> None:
        # ruleid: socket-routing-loop
        await asyncio.gather(*[ws.send_text(message) for ws in self.sockets])
        # ruleid: socket-routing-loop
        await asyncio.gather(*(asyncio.wait_for(ws.send_str(message), 1) for ws in self.peers))

    def tornado_fanout(self, message: str) -> None:
        # ruleid: socket-routing-loop
        for waiter in self.waiters:
            waiter.write_message(message)

    def raw_send(self, data: bytes) -> None:
        # ruleid: socket-routing-loop
        for kiosk in list(self.kiosks):
            kiosk.send(data)

    async def nested(self, message: str) -> None:
        for room in self.rooms:
            # ruleid: socket-routing-loop
            for websocket in room.members:
                await websocket.send(message)

    async def not_socket_routing(self, websocket, history) -> None:
        # ok: socket-routing-loop
        for line in history:
            await websocket.send_text(line)
        # ok: socket-routing-loop
        for connection in self.active_connections:
            await connection.close()
        # ok: socket-routing-loop
        for connection in self.active_connections:
            self.metrics.send_text(connection)
        # ok: socket-routing-loop
        async for raw in websocket:
            await websocket.send(raw)


# --- socketio-namespace ---------------------------------------------------------------------


# ruleid: socketio-namespace
@sio.on("message", namespace="/chat")
async def chat_message(sid, data):
    # ok: socketio-namespace
    await sio.emit("message", data, namespace="/chat", skip_sid=sid)


# ruleid: socketio-namespace
@sio.event(namespace="/admin")
async def connect(sid, environ):
    pass


# ok: socketio-namespace
@sio.on("ping")
async def ping(sid):
    pass


class ChatNamespace(socketio.AsyncNamespace):
    async def on_message(self, sid, data):
        await self.emit("message", data)


# ruleid: socketio-namespace
sio.register_namespace(ChatNamespace("/rooms"))
# ruleid: socketio-namespace
socketio_ext.on_namespace(ChatNamespace(namespace="/alerts"))
# ruleid: socketio-namespace
sio.on("status", status_handler, namespace="/status")


def listen_for_alerts(url):
    client = socketio.Client()

    # ok: socketio-namespace
    @client.on("geofence", namespace="/alerts")
    def on_geofence(data):
        print(data)

    client.connect(url, namespaces=["/alerts"])


async def listen_async(url):
    client = socketio.AsyncClient()

    # ok: socketio-namespace
    @client.event(namespace="/alerts")
    async def connect():
        pass

    await client.connect(url)
