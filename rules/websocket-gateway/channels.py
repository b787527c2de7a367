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
        # ruleid: channel-publish
        await self.post_office.publish_to_agent_channel(agent_id, payload)
        # ruleid: channel-subscribe
        await self.post_office.subscribe_to_channel(channel="pillar:content", handler=self.on_event)
        # ok: channel-publish
        await self.post_office.get_websocket_endpoint()


class ConnectionManager:
    async def broadcast(self, message: str) -> None:
        for connection in self.active_connections:
            # ruleid: socket-routing-loop
            await connection.send_text(message)

    async def broadcast_json(self, payload: dict) -> None:
        for user_id, ws in self.connections.items():
            if user_id != payload["sender"]:
                try:
                    # ruleid: socket-routing-loop
                    await ws.send_json(payload)
                except RuntimeError:
                    pass

    async def gather(self, message: str) -> None:
        # ruleid: socket-routing-loop
        await asyncio.gather(*[ws.send_text(message) for ws in self.sockets])

    def tornado_fanout(self, message: str) -> None:
        for waiter in self.waiters:
            # ruleid: socket-routing-loop
            waiter.write_message(message)

    def raw_send(self, data: bytes) -> None:
        for client in self.clients:
            # ruleid: socket-routing-loop
            client.send(data)

    async def websockets_library(self, data: str) -> None:
        for websocket in self.peers.values():
            # ruleid: socket-routing-loop
            await websocket.send(data)

    def not_socket_routing(self, messages) -> None:
        for mailer in self.mailers:
            # ok: socket-routing-loop
            mailer.send(messages)
        for connection in self.active_connections:
            # ok: socket-routing-loop
            self.metrics.send_text(connection)
