"""Tornado entry point: ``python -m fleet.app``.

The Socket.IO server is routed like any other handler; clients connect over
``/tracker/socket.io/`` (their `path` option), whatever namespace they join.
"""

import asyncio

import socketio
import tornado.web

from fleet.realtime import sio


class HealthHandler(tornado.web.RequestHandler):
    def get(self):
        self.write({"ok": True})


def make_app() -> tornado.web.Application:
    return tornado.web.Application(
        [
            (r"/health", HealthHandler),
            (r"/tracker/socket.io/", socketio.get_tornado_handler(sio)),
        ]
    )


async def main() -> None:
    make_app().listen(8888)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
