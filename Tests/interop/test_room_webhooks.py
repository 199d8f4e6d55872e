"""Room event webhooks: 2060-io style bodies, in order, signed, retried after a failure."""
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
import urllib3

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

SECRET = "hook-s3cret"


class WebhookReceiver:
    """An HTTP endpoint on loopback recording what it is posted; it can refuse the first N posts."""

    def __init__(self, failures: int = 0):
        self.events = []
        self.attempts = 0
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.attempts += 1
                if receiver.attempts <= receiver.failures:
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.events.append((json.loads(body), body, self.headers.get("X-SFU-Signature")))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def wait_for(self, kind: str, timeout: float = 15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(event["event"] == kind for event, _, _ in self.events):
                return
            time.sleep(0.05)
        raise AssertionError(f"no {kind} event; got {[event['event'] for event, _, _ in self.events]}")

    def close(self):
        self.server.shutdown()


def post(server, path, body=None):
    return requests.post(server.base_url + path, json=body, verify=False, timeout=5)


def test_room_lifecycle_events_are_posted_in_order_and_signed(start_server):
    receiver = WebhookReceiver()
    try:
        server = start_server(env={"SFU_WEBHOOK_SECRET": SECRET, "SFU_ROOM_LIVE_INTERVAL": "1"})
        created = post(server, "/rooms/hooks", {"eventNotificationUri": receiver.url})
        assert created.status_code == 201, created.text
        joined = post(server, "/rooms/hooks/broadcasters",
                      {"id": "cam1", "displayName": "Camera", "device": {"name": "FFmpeg"}})
        assert joined.status_code == 200, joined.text
        receiver.wait_for("room-live")
        gone = requests.delete(server.base_url + "/rooms/hooks/broadcasters/cam1", verify=False, timeout=5)
        assert gone.status_code == 200
        receiver.wait_for("room-closed")

        kinds = [event["event"] for event, _, _ in receiver.events if event["event"] != "room-live"]
        assert kinds == ["room-created", "peer-joined", "peer-left", "room-closed"]
        for event, _, _ in receiver.events:
            assert event["roomId"] == "hooks"
        joined_event = next(event for event, _, _ in receiver.events if event["event"] == "peer-joined")
        assert joined_event["peerId"] == "cam1"
        live = next(event for event, _, _ in receiver.events if event["event"] == "room-live")
        assert live["peers"] == ["cam1"]
        for _, body, signature in receiver.events:
            expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            assert signature == f"sha256={expected}"
    finally:
        receiver.close()


def test_failed_delivery_is_retried(start_server):
    receiver = WebhookReceiver(failures=2)
    try:
        server = start_server()
        created = post(server, "/rooms/retry", {"eventNotificationUri": receiver.url})
        assert created.status_code == 201, created.text
        receiver.wait_for("room-created", timeout=20)
        assert receiver.attempts == 3
        assert receiver.events[0][2] is None  # no secret configured: no signature header
    finally:
        receiver.close()


def test_invalid_notification_uri_is_rejected(start_server):
    server = start_server()
    response = post(server, "/rooms/bad", {"eventNotificationUri": "ftp://example.com/x"})
    assert response.status_code == 400
    assert "eventNotificationUri" in response.json()["error"]
