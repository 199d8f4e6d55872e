"""A protoo client (mediasoup-demo's WebSocket signalling) on `websockets`: requests matched to their
responses by id, server requests answered by a handler, and every server message kept in arrival
order so a test can check what came before what."""
import asyncio
import json
import random
import ssl
from urllib.parse import urlencode

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed


class ProtooError(Exception):
    """An error response: `errorCode` and `errorReason` as protoo sends them."""

    def __init__(self, method: str, code, reason: str):
        super().__init__(f"{method}: {code} {reason}")
        self.code, self.reason = code, reason


async def accept_everything(method: str, data: dict) -> dict:
    return {}


class ProtooPeer:
    """One peer's socket. `on_request(method, data)` answers the server's requests (`newConsumer`):
    its return value is the success `data`, a raised ProtooError the error (any other exception is
    a 500 and kept in `failures`). `received` lists the server's requests and notifications as
    `(method, data)` in the order they arrived."""

    def __init__(self, websocket, on_request):
        self.websocket, self.on_request = websocket, on_request
        self.received = []
        self.pending = {}
        self.arrived = asyncio.Condition()
        self.answering = set()
        self.failures = []
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, server, room_id: str, peer_id: str, on_request=accept_everything,
                      extra_query: dict = None) -> "ProtooPeer":
        # The server's certificate is its self-signed development one.
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        query = urlencode({"roomId": room_id, "peerId": peer_id, **(extra_query or {})})
        websocket = await connect(
            f"wss://127.0.0.1:{server.https_port}/?{query}", ssl=context, subprotocols=["protoo"], open_timeout=10)
        assert websocket.subprotocol == "protoo"
        return cls(websocket, on_request)

    async def request(self, method: str, data: dict = None, timeout: float = 10):
        """Sends a request and returns the success response's `data`; raises ProtooError on an
        error response and ConnectionError (with the close code and reason) once the socket is closed."""
        request_id = random.randint(0, 10_000_000)
        while request_id in self.pending:
            request_id = random.randint(0, 10_000_000)
        answer = self.pending[request_id] = asyncio.get_running_loop().create_future()
        try:
            await self.websocket.send(json.dumps(
                {"request": True, "id": request_id, "method": method, "data": data or {}}))
            response = await asyncio.wait_for(answer, timeout)
        except ConnectionClosed:
            raise self._closed() from None
        finally:
            del self.pending[request_id]
            if answer.done() and not answer.cancelled():
                answer.exception()  # marks the closed socket's error seen when sending raised it
        if response.get("ok"):
            return response.get("data", {})
        raise ProtooError(method, response.get("errorCode"), response.get("errorReason"))

    async def notify(self, method: str, data: dict = None) -> None:
        """Sends a notification (the TypeScript demo pauses and resumes with these)."""
        await self.websocket.send(json.dumps({"notification": True, "method": method, "data": data or {}}))

    def methods(self) -> list:
        return [method for method, _ in self.received]

    async def wait_for(self, method: str, matches=lambda data: True, timeout: float = 10) -> dict:
        """The `data` of the first received `method` message that `matches`, waiting for it."""
        def found():
            return next((data for name, data in self.received if name == method and matches(data)), None)

        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(lambda: found() is not None), timeout)
            return found()

    async def closed_by_server(self, timeout: float = 5) -> tuple:
        """Waits for the server to close the socket; returns its close code and reason."""
        await asyncio.wait_for(asyncio.shield(self.reader), timeout)
        return self.websocket.close_code, self.websocket.close_reason

    async def close(self) -> None:
        """Closes the socket (as a browser tab does) and waits until the server's side is closed."""
        await self.websocket.close()
        await self.reader

    async def _read(self) -> None:
        try:
            async for text in self.websocket:
                message = json.loads(text)
                if message.get("response"):
                    answer = self.pending.get(message["id"])
                    if answer is not None and not answer.done():
                        answer.set_result(message)
                    continue
                self.received.append((message["method"], message.get("data", {})))
                if message.get("request"):
                    task = asyncio.create_task(self._answer(message))
                    self.answering.add(task)
                    task.add_done_callback(self.answering.discard)
                async with self.arrived:
                    self.arrived.notify_all()
        except ConnectionClosed:
            pass
        finally:
            for answer in self.pending.values():
                if not answer.done():
                    answer.set_exception(self._closed())

    def _closed(self) -> ConnectionError:
        return ConnectionError(f"protoo socket closed: {self.websocket.close_code} {self.websocket.close_reason}")

    async def _answer(self, request: dict) -> None:
        response = {"response": True, "id": request["id"]}
        try:
            response.update(ok=True, data=await self.on_request(request["method"], request.get("data", {})))
        except ProtooError as error:
            response.update(ok=False, errorCode=error.code, errorReason=error.reason)
        except Exception as error:  # protoo answers a handler's failure with a 500 and keeps it to see
            self.failures.append(error)
            response.update(ok=False, errorCode=500, errorReason=repr(error))
        try:
            await self.websocket.send(json.dumps(response))
        except ConnectionClosed:
            pass
