"""mediasoup-demo's REST broadcaster API as its scripts use it, one broadcaster at a time."""
import secrets

import requests


class BroadcasterApi:
    """One broadcaster of a room on a running sfu-server; every call asserts a 200 answer."""

    def __init__(self, server, room_id: str, display_name: str, device_name: str, rtp_capabilities=None):
        self.base = f"{server.base_url}/rooms/{room_id}"
        # ffmpeg.sh's id: 32 random alphanumeric characters.
        self.id = secrets.token_hex(16)
        self.joined = self._call("POST", "/broadcasters", json={
            "id": self.id, "displayName": display_name, "device": {"name": device_name},
            **({"rtpCapabilities": rtp_capabilities} if rtp_capabilities is not None else {})})

    @staticmethod
    def router_rtp_capabilities(server, room_id: str) -> dict:
        """`GET /rooms/:roomId`, which also creates the room."""
        response = requests.get(f"{server.base_url}/rooms/{room_id}", verify=False, timeout=5)
        assert response.status_code == 200, response.text
        return response.json()

    def create_transport(self, **options) -> dict:
        return self._call("POST", f"/broadcasters/{self.id}/transports", json=options)

    def connect(self, transport_id: str, **parameters) -> None:
        self._call("POST", f"/broadcasters/{self.id}/transports/{transport_id}/connect", json=parameters)

    def produce(self, transport_id: str, kind: str, rtp_parameters: dict) -> str:
        answer = self._call("POST", f"/broadcasters/{self.id}/transports/{transport_id}/producers",
                            json={"kind": kind, "rtpParameters": rtp_parameters})
        return answer["id"]

    def consume(self, transport_id: str, producer_id: str) -> dict:
        return self._call("POST", f"/broadcasters/{self.id}/transports/{transport_id}/consume",
                          params={"producerId": producer_id})

    def delete(self) -> str:
        return self._call("DELETE", f"/broadcasters/{self.id}")

    def _call(self, method: str, path: str, **kwargs):
        # verify=False per request: a session's `verify` loses to REQUESTS_CA_BUNDLE.
        response = requests.request(method, self.base + path, verify=False, timeout=10, **kwargs)
        assert response.status_code == 200, f"{method} {path}: {response.status_code} {response.text}"
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.text
