# Test cases for clients.yaml (semgrep --test); not a module to import.
# ruff: noqa
import aiohttp
import socketio
import websocket
import websockets
from websockets.sync.client import connect as sync_connect

try:
    from websockets.asyncio.client import connect as ws_connect
except ImportError:  # websockets < 13
    from websockets.client import connect as ws_connect

AGENT_URL = "ws://agents:8001/ws"


async def websockets_clients():
    # ruleid: websocket-client-websockets
    async with websockets.connect("ws://localhost:8000/ws") as conn:
        await conn.send("hello")
    # ruleid: websocket-client-websockets
    async with ws_connect(AGENT_URL, open_timeout=5) as conn:
        await conn.recv()
    # ruleid: websocket-client-websockets
    conn = await websockets.unix_connect(path="/run/gateway.sock")
    # ruleid: websocket-client-websockets
    async for conn in websockets.asyncio.client.connect(uri="wss://example.com/feed"):
        break
    # ok: websocket-client-websockets
    await websockets.serve(handler, "localhost", 8765)


def sync_client():
    # ruleid: websocket-client-websockets
    with sync_connect("ws://localhost:8000/ws") as conn:
        conn.send("hello")


def websocket_client_library():
    # ruleid: websocket-client-websocket-client
    conn = websocket.create_connection("ws://echo.example.com/")
    # ruleid: websocket-client-websocket-client
    app = websocket.WebSocketApp(
        "wss://stream.example.com/ws",
        on_message=print,
    )
    raw = websocket.WebSocket()
    # ruleid: websocket-client-websocket-client
    raw.connect("ws://localhost:9000")
    # ruleid: websocket-client-websocket-client
    self.ws = websocket.WebSocket()


async def aiohttp_clients(session: aiohttp.ClientSession):
    # ruleid: websocket-client-aiohttp
    async with session.ws_connect("http://localhost:8080/ws") as ws:
        await ws.send_str("ping")
    # ruleid: websocket-client-aiohttp
    async with aiohttp.ClientSession() as s, s.ws_connect(url=AGENT_URL) as ws:
        pass
    # ok: websocket-client-aiohttp
    async with session.get("http://localhost:8080/websocket-info") as response:
        pass


async def other_libraries(client):
    import httpx_ws
    from tornado.websocket import websocket_connect

    # ruleid: websocket-client-other-libraries
    conn = await websocket_connect("ws://localhost:8888/socket")
    # ruleid: websocket-client-other-libraries
    async with httpx_ws.aconnect_ws("http://localhost:8000/ws", client) as ws:
        pass


def socketio_clients():
    # ruleid: websocket-client-socketio-unconnected
    sio = socketio.Client()
    # ruleid: websocket-client-socketio-unconnected
    async_sio = socketio.AsyncClient(reconnection=True)
    # ok: websocket-client-socketio, websocket-client-socketio-unconnected
    server = socketio.AsyncServer(async_mode="asgi")


bot = socketio.Client(reconnection=True)


def run_bot(url):
    # ruleid: websocket-client-socketio
    bot.connect(url, transports=["websocket"])
    # ok: websocket-client-socketio
    bot.emit("join", {"team": "ops"})
    # ok: websocket-client-socketio
    manager.connect(url)


async def socketio_connections(base, options):
    # ok: websocket-client-socketio-unconnected
    client = socketio.AsyncClient(reconnection=False)
    # ruleid: websocket-client-socketio
    await client.connect(base, socketio_path="rt", namespaces=["/chat"], auth={"token": "t"})
    # ok: websocket-client-socketio-unconnected
    other = socketio.AsyncClient()
    # ruleid: websocket-client-socketio
    await other.connect(
        base,
        namespaces=["/dispatch"],
        socketio_path="dispatch/socket.io",
    )
    # ok: websocket-client-socketio-unconnected
    async with socketio.AsyncSimpleClient() as simple:
        # ruleid: websocket-client-socketio
        await simple.connect(base, **options)
    # ok: websocket-client-socketio-unconnected
    with socketio.SimpleClient() as simple:
        # ruleid: websocket-client-socketio
        simple.connect("http://localhost:5000", namespace="/chat")
    # ruleid: websocket-client-socketio
    socketio.SimpleClient().connect("http://localhost:5000", socketio_path="/rt/")


class Listener:
    def __init__(self):
        # ruleid: websocket-client-socketio-unconnected
        self.sio = socketio.AsyncClient()

    async def start(self, url):
        # ok: websocket-client-socketio
        await self.sio.connect(url)


# ok: websocket-client-websockets
# async with websockets.connect("ws://commented-out") as conn:
def docstring_only():
    """Connect with websockets.connect("ws://in-a-docstring")."""
