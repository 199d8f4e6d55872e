"""The foundation as a user meets it: start the real binary, probe it, misconfigure it, stop it."""
import json
import signal
import socket
import subprocess
import time

from cryptography import x509
from prometheus_client.parser import text_string_to_metric_families

from conftest import free_port, server_binary


def run_cli(*args, env=None, cwd=None):
    return subprocess.run(
        [str(server_binary()), *args], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", **(env or {})}, cwd=cwd)


def test_health_ready_and_generated_certificate(start_server, tmp_path):
    server = start_server()
    assert server.get("/healthz").json() == {"status": "ok"}
    assert server.get("/readyz").json() == {"status": "ready"}

    certificate = x509.load_pem_x509_certificate((tmp_path / "certs" / "fullchain.pem").read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert "127.0.0.1" in [str(ip) for ip in names.get_values_for_type(x509.IPAddress)]
    assert certificate.public_key().curve.name == "secp256r1"
    assert (tmp_path / "certs" / "privkey.pem").stat().st_mode & 0o077 == 0, "private key must not be world-readable"


def test_metrics_are_valid_prometheus_text(start_server):
    server = start_server()
    server.get("/healthz")
    response = server.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = {family.name: family for family in text_string_to_metric_families(response.text)}
    assert families["process_resident_memory_bytes"].samples[0].value > 1_000_000
    assert families["process_open_fds"].samples[0].value > 0
    requests_by_route = [
        sample for sample in families["hb_requests"].samples
        if sample.labels.get("http_route") == "/healthz" and sample.labels.get("http_response_status_code") == "200"
    ]
    assert requests_by_route and requests_by_route[0].value >= 1
    # Prometheus' naming conventions, as the README lists them.
    assert "# TYPE hb_requests_total counter" in response.text
    assert "# TYPE http_server_request_duration_seconds histogram" in response.text


def test_config_shows_no_secret(start_server):
    server = start_server(env={"SFU_TURN_SECRET": "turn-s3cret", "SFU_API_KEY": "api-k3y", "SFU_TURN_USERS": "bob:b0bpass",
                               "SFU_WEBHOOK_SECRET": "h00k-s3cret"})
    body = server.get("/config").text
    config = json.loads(body)
    assert config["https"]["port"] == server.https_port
    assert config["media"]["minPort"] == 40000
    assert config["codecLibraries"]["opus"].startswith("libopus")
    assert "v1." in config["codecLibraries"]["vpx"] or config["codecLibraries"]["vpx"][0].isdigit()
    for secret in ("turn-s3cret", "api-k3y", "b0bpass", "h00k-s3cret"):
        assert secret not in body
        assert secret not in server.output()


def test_unknown_route_answers_json_404(start_server):
    response = start_server().get("/no/such/route")
    assert response.status_code == 404
    assert response.json() == {"error": "no route for GET /no/such/route"}


def https_exchange(port: int, request: bytes, timeout: float = 10) -> bytes:
    """Sends `request` raw over TLS and reads until the server closes the connection."""
    import ssl
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as tls:
        tls.sendall(request)
        received = b""
        while chunk := tls.recv(65536):
            received += chunk
        return received


def test_malformed_http_is_answered_400_json_and_closed(start_server):
    server = start_server()
    malformed = [
        b"FOO /rooms HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
        b"GET /rooms/" + b"c" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"HELLO\r\n\r\n",
    ]
    for request in malformed:
        answer = https_exchange(server.https_port, request)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400 "), (request[:40], answer[:200])
        assert b"application/json" in head
        assert json.loads(body) == {"error": "malformed HTTP request"}
    # A body framed wrongly is the client's fault too, on a connection that served a request before.
    answer = https_exchange(server.https_port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                               b"POST /rooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                               b"Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n")
    first, _, rest = answer.partition(b"HTTP/1.1 400 ")
    assert first.startswith(b"HTTP/1.1 200 ") and b'{"status":"ok"}' in first, answer[:400]
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["error"].startswith("malformed HTTP request body: "), answer[:400]
    assert server.get("/healthz").json() == {"status": "ok"}


def test_sigterm_exits_zero_within_drain_timeout(start_server):
    server = start_server(env={"SFU_DRAIN_TIMEOUT": "10"})
    started = time.monotonic()
    assert server.stop(signal.SIGTERM, timeout=15) == 0
    assert time.monotonic() - started < 10
    assert "draining before shutdown" in server.output()


def test_sigint_exits_zero(start_server):
    server = start_server()
    assert server.stop(signal.SIGINT, timeout=10) == 0


def test_json_log_format_writes_json_lines(start_server):
    server = start_server(env={"SFU_LOG_FORMAT": "json"})
    server.stop()
    lines = [line for line in server.output().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert any(record["message"].startswith("listening for HTTPS") for record in records)
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)


def test_bad_configuration_is_one_line_and_exit_code_2(tmp_path):
    cases = [
        (["--https-port", "70000"], {}, "--https-port (PROTOO_LISTEN_PORT)"),
        ([], {"MEDIASOUP_MIN_PORT": "45000", "MEDIASOUP_MAX_PORT": "41000"}, "--min-port (MEDIASOUP_MIN_PORT) 45000 is above"),
        ([], {"HTTPS_CERT_FULLCHAIN": "/nonexistent/fullchain.pem", "HTTPS_CERT_PRIVKEY": "/nonexistent/privkey.pem"},
         "--cert (HTTPS_CERT_FULLCHAIN): /nonexistent/fullchain.pem"),
        (["--config", str(tmp_path / "missing.yaml")], {}, "cannot read config file"),
        (["--log-level", "shouty"], {}, "--log-level (SFU_LOG_LEVEL)"),
    ]
    for args, env, expected in cases:
        result = run_cli(*args, env=env, cwd=tmp_path)
        assert result.returncode == 2, (args, env, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("sfu-server: configuration error: ") and expected in lines[0], lines[0]


def test_a_port_in_use_is_named_with_its_setting(tmp_path):
    """Another server on a port (coturn on 3478, a second sfu-server on 4443) is one line that
    says which port and which setting, and exit code 1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as https, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as turn:
        https.bind(("127.0.0.1", 0))
        https.listen()
        turn.bind(("127.0.0.1", 0))
        https_port, turn_port = https.getsockname()[1], turn.getsockname()[1]
        common = {"SFU_HTTPS_LISTEN_IP": "127.0.0.1", "MEDIASOUP_LISTEN_IP": "127.0.0.1", "SFU_TURN_LISTEN_IP": "127.0.0.1",
                  "SFU_TURN_TLS_PORT": "0", "MEDIASOUP_USE_WEBRTC_SERVER": "false", "SFU_LOG_LEVEL": "critical"}
        cases = [
            ({"PROTOO_LISTEN_PORT": str(https_port), "SFU_TURN_ENABLED": "false"},
             f"cannot listen for HTTPS and WSS (PROTOO_LISTEN_PORT) on 127.0.0.1:{https_port} tcp: Address already in use"),
            ({"PROTOO_LISTEN_PORT": str(free_port()), "SFU_TURN_PORT": str(turn_port)},
             f"on 127.0.0.1:{turn_port} udp+tcp: Address already in use"),
            ({"PROTOO_LISTEN_PORT": str(free_port()), "SFU_TURN_ENABLED": "false", "MEDIASOUP_USE_WEBRTC_SERVER": "true",
              "MEDIASOUP_NUM_WORKERS": "1", "SFU_WEBRTC_SERVER_PORT": str(turn_port)},
             f"(SFU_WEBRTC_SERVER_PORT + 0) on 127.0.0.1:{turn_port} udp+tcp: Address already in use"),
        ]
        for env, expected in cases:
            result = run_cli(env={**common, **env}, cwd=tmp_path)
            assert result.returncode == 1, result.stderr
            assert expected in result.stderr, result.stderr


def test_mismatched_certificate_and_key_is_rejected(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for directory in ("a", "b"):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-days", "1", "-subj", "/CN=test", "-keyout", f"{directory}/key.pem", "-out", f"{directory}/cert.pem"],
            cwd=tmp_path, check=True, capture_output=True)
    result = run_cli(env={"HTTPS_CERT_FULLCHAIN": "a/cert.pem", "HTTPS_CERT_PRIVKEY": "b/key.pem"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "--key (HTTPS_CERT_PRIVKEY)" in result.stderr


def test_check_config_prints_sources_and_masks_secrets(tmp_path):
    result = run_cli("check-config", "--turn-realm", "example.org",
                     env={"SFU_TURN_SECRET": "turn-s3cret", "PROTOO_LISTEN_PORT": "9443"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = {line.split("=")[0].strip(): line for line in result.stdout.splitlines()}
    assert lines["httpsPort"].endswith("= 9443 (env)")
    assert lines["turnRealm"].endswith("= example.org (flag)")
    assert lines["turnSecret"].endswith("= ******** (env)")
    assert lines["minPort"].endswith("= 40000 (default)")
    assert "turn-s3cret" not in result.stdout


def test_help_documents_every_environment_name():
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    for name in ("PROTOO_LISTEN_PORT", "HTTPS_CERT_FULLCHAIN", "MEDIASOUP_ANNOUNCED_IP", "MEDIASOUP_NUM_WORKERS",
                 "MEDIASOUP_CLIENT_ICESERVER_PASS", "SFU_TURN_SECRET", "SFU_LOG_LEVEL", "SFU_DRAIN_TIMEOUT"):
        assert name in result.stdout, name
