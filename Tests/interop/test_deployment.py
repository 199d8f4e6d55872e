"""Offline checks of the deployment files: k8s/, docker-compose.yml, Dockerfile, gen-certs.sh.

No cluster, Docker engine or network needed:
* k8s manifests are validated against the Kubernetes OpenAPI schemas that the PyPI package
  kubernetes-validate ships (strict: unknown fields are errors);
* docker-compose.yml is validated against schemas/compose-spec.json, the Compose schema
  docker-compose 1.29.2 validates with (compose/config/compose_spec.json in its PyPI wheel,
  Apache-2.0), the way it does: variables interpolated, then Draft 4 validation. If a
  `docker-compose` binary is on PATH, `docker-compose config -q` is run as well.

Run: pip install -r Tests/interop/requirements.txt && pytest -q Tests/interop/test_deployment.py
"""
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).resolve().parent / "schemas"
# Kubernetes versions to validate against (kubernetes-validate 1.37.0 ships schemas for 1.25-1.37).
K8S_VERSIONS = ["1.30.0", "1.37.0"]
K8S_FILES = sorted((ROOT / "k8s").glob("*.yaml"))

# Environment variables the server reads; manifests must not carry typos of them.
KNOWN_ENV = {
    "PROTOO_LISTEN_PORT", "HTTPS_CERT_FULLCHAIN", "HTTPS_CERT_PRIVKEY", "MEDIASOUP_LISTEN_IP",
    "MEDIASOUP_ANNOUNCED_IP", "MEDIASOUP_MIN_PORT", "MEDIASOUP_MAX_PORT", "MEDIASOUP_NUM_WORKERS",
    "MEDIASOUP_USE_WEBRTC_SERVER", "SFU_WEBRTC_SERVER_PORT", "MEDIASOUP_INGRESS_HOST",
    "MEDIASOUP_CLIENT_PROTOOPORT", "MEDIASOUP_CLIENT_ENABLE_ICESERVER",
    "MEDIASOUP_CLIENT_ICESERVER_HOST", "MEDIASOUP_CLIENT_ICESERVER_PORT",
    "MEDIASOUP_CLIENT_ICESERVER_PROTO", "MEDIASOUP_CLIENT_ICESERVER_USER",
    "MEDIASOUP_CLIENT_ICESERVER_PASS", "SFU_TURN_ENABLED", "SFU_TURN_PORT", "SFU_TURN_TLS_PORT",
    "SFU_TURN_REALM", "SFU_TURN_SECRET", "SFU_TURN_MIN_PORT", "SFU_TURN_MAX_PORT",
    "SFU_TURN_HEALTH_PORT", "SFU_TURN_ALLOW_PEER", "SFU_LOG_LEVEL", "SFU_LOG_FORMAT", "SFU_DRAIN_TIMEOUT",
    "SFU_API_KEY",
}


def load_one(path):
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    assert len(docs) == 1, f"{path.name}: expected exactly one resource per file"
    return docs[0]


def manifests():
    return {p.name: load_one(p) for p in K8S_FILES}


def find(kind, name):
    return next(d for d in manifests().values() if d["kind"] == kind and d["metadata"]["name"] == name)


# ---------------------------------------------------------------------------------- Kubernetes

@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("path", K8S_FILES, ids=lambda p: p.name)
def test_k8s_manifest_is_valid(path, version):
    kubernetes_validate.validate(load_one(path), version, strict=True)


def test_k8s_files_are_numbered_and_namespaced():
    for name, doc in manifests().items():
        assert re.match(r"^\d\d-[a-z0-9-]+\.yaml$", name), name
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "sfu", name


def test_k8s_kinds():
    kinds = Counter(d["kind"] for d in manifests().values())
    for kind in ["Namespace", "ConfigMap", "Secret", "Service", "PodDisruptionBudget",
                 "HorizontalPodAutoscaler"]:
        assert kinds[kind] >= 1, kind
    assert kinds["Deployment"] == 2


def probe(container, name):
    get = container[name]["httpGet"]
    return get["path"], get["port"], get.get("scheme", "HTTP")


def test_sfu_deployment():
    pod = find("Deployment", "sfu")["spec"]["template"]["spec"]
    assert pod["hostNetwork"] is True
    assert pod["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert pod["terminationGracePeriodSeconds"] >= 35
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001
    anti = pod["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert anti[0]["topologyKey"] == "kubernetes.io/hostname"

    (c,) = pod["containers"]
    assert probe(c, "readinessProbe") == ("/readyz", 4443, "HTTPS")
    assert probe(c, "livenessProbe") == ("/healthz", 4443, "HTTPS")
    assert c["lifecycle"]["preStop"]["exec"]["command"][-1] == "5"
    env = {e["name"]: e for e in c["env"]}
    assert env["MEDIASOUP_ANNOUNCED_IP"]["valueFrom"]["fieldRef"]["fieldPath"] == "status.hostIP"
    assert env["MEDIASOUP_NUM_WORKERS"]["value"] == str(c["resources"]["requests"]["cpu"])
    assert {m["mountPath"] for m in c["volumeMounts"]} >= {"/app/certs"}


def test_turn_deployment():
    pod = find("Deployment", "sfu-turn")["spec"]["template"]["spec"]
    assert pod["hostNetwork"] is True
    (c,) = pod["containers"]
    assert c["args"] == ["turn"]
    assert probe(c, "readinessProbe") == ("/readyz", 8080, "HTTP")
    assert probe(c, "livenessProbe") == ("/healthz", 8080, "HTTP")


def test_k8s_config_and_secrets():
    config = find("ConfigMap", "sfu-config")["data"]
    assert set(config) <= KNOWN_ENV, set(config) - KNOWN_ENV
    assert config["HTTPS_CERT_FULLCHAIN"] == "/app/certs/tls.crt"
    assert config["HTTPS_CERT_PRIVKEY"] == "/app/certs/tls.key"
    secret = find("Secret", "sfu-secrets")
    assert secret["type"] == "Opaque" and "SFU_TURN_SECRET" in secret["stringData"]
    assert find("Secret", "sfu-tls")["type"] == "kubernetes.io/tls"
    for name in ("sfu", "sfu-turn"):
        for c in find("Deployment", name)["spec"]["template"]["spec"]["containers"]:
            assert {e["name"] for e in c.get("env", [])} <= KNOWN_ENV


def test_pdb_and_hpa_target_sfu():
    assert find("PodDisruptionBudget", "sfu")["spec"]["maxUnavailable"] == 1
    hpa = find("HorizontalPodAutoscaler", "sfu")["spec"]
    assert hpa["scaleTargetRef"]["name"] == "sfu"
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (1, 10)
    assert hpa["metrics"][0]["resource"]["target"]["averageUtilization"] == 70


# ---------------------------------------------------------------------------------- Compose

BRIDGE_BEGIN = "  # ---- bridge networking alternative (begin) ----\n"
BRIDGE_END = "  # ---- bridge networking alternative (end) ----\n"
INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(value, env):
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error} on every string of the parsed file."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def sub(m):
        name, op, arg = m.groups()
        if env.get(name):
            return env[name]
        assert op not in (":?", "?"), f"${{{name}}} is required: {arg}"
        return arg if op else ""

    return INTERPOLATION.sub(sub, value)


def bridge_variant(text):
    """docker-compose.yml with the host-network `sfu` replaced by the commented bridge block."""
    host_part, rest = text.split(BRIDGE_BEGIN)
    block, tail = rest.split(BRIDGE_END)
    lines = block.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("  # sfu:"))
    uncommented = "".join(re.sub(r"^(\s*)# ", r"\1", line) for line in lines[start:])
    return host_part.split("\nservices:\n")[0] + "\nservices:\n" + uncommented + tail


def compose_variants():
    text = (ROOT / "docker-compose.yml").read_text()
    return {"host": text, "bridge": bridge_variant(text)}


@pytest.mark.parametrize("variant", ["host", "bridge"])
def test_compose_matches_compose_spec(variant):
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text())
    env = {"MEDIASOUP_ANNOUNCED_IP": "203.0.113.10"}  # required by the bridge variant
    config = interpolate(yaml.safe_load(compose_variants()[variant]), env)
    jsonschema.Draft4Validator(schema).validate(config)
    service_constraints = schema["definitions"]["constraints"]["service"]
    for service in config["services"].values():
        jsonschema.Draft4Validator(service_constraints).validate(service)


def test_compose_service():
    config = yaml.safe_load(compose_variants()["host"])
    assert isinstance(config["version"], str)
    sfu = config["services"]["sfu"]
    assert sfu["network_mode"] == "host" and "ports" not in sfu
    assert sfu["build"]["dockerfile"] == "Dockerfile"
    assert sfu["stop_grace_period"] == "40s" and sfu["restart"] == "unless-stopped"
    assert any("/healthz" in part for part in sfu["healthcheck"]["test"])
    assert "certs:/app/certs" in sfu["volumes"] and "certs" in config["volumes"]
    assert set(sfu["environment"]) <= KNOWN_ENV, set(sfu["environment"]) - KNOWN_ENV
    assert sfu["environment"]["MEDIASOUP_ANNOUNCED_IP"] == "${MEDIASOUP_ANNOUNCED_IP:-}"
    bridge = yaml.safe_load(compose_variants()["bridge"])["services"]["sfu"]
    assert "network_mode" not in bridge
    assert {"4443:4443/tcp", "44444:44444/udp", "40000-40100:40000-40100/udp"} <= set(bridge["ports"])


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose not on PATH")
@pytest.mark.parametrize("variant", ["host", "bridge"])
def test_docker_compose_config(variant, tmp_path):
    path = tmp_path / "docker-compose.yml"
    path.write_text(compose_variants()[variant])
    subprocess.run(["docker-compose", "-f", str(path), "--project-directory", str(ROOT),
                    "config", "-q"], check=True,
                   env={**os.environ, "MEDIASOUP_ANNOUNCED_IP": "203.0.113.10"})


# ---------------------------------------------------------------------------------- Dockerfile

def dockerfile_instructions():
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [line.split(None, 1) for line in lines if line and not line.startswith("#")]


def test_dockerfile():
    instructions = dockerfile_instructions()
    exposed = {port for op, args in instructions if op == "EXPOSE" for port in args.split()}
    # Worker n's WebRtcServer listens on 44444 + n.
    assert exposed >= {"4443/tcp", "3478/udp", "3478/tcp", "5349/tcp", "40000-49999/udp",
                       "44444-44459/udp", "44444-44459/tcp"}
    users = [args for op, args in instructions if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    froms = [args for op, args in instructions if op == "FROM"]
    assert len(froms) == 2 and "AS build" in froms[0]
    build = " ".join(args for op, args in instructions if op == "RUN")
    assert "--product sfu-server" in build and "--static-swift-stdlib" in build
    assert any(op == "HEALTHCHECK" and "/healthz" in args for op, args in instructions)
    assert ["ENTRYPOINT", '["/app/sfu-server"]'] in instructions


# ---------------------------------------------------------------------------------- gen-certs.sh

@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl not installed")
def test_gen_certs(tmp_path):
    script = str(ROOT / "scripts" / "gen-certs.sh")
    out = tmp_path / "certs"
    subprocess.run(["bash", script, str(out), "sfu.example.test", "192.0.2.7"], check=True,
                   capture_output=True)
    cert = subprocess.run(["openssl", "x509", "-in", str(out / "fullchain.pem"), "-noout",
                           "-subject", "-ext", "subjectAltName"],
                          check=True, capture_output=True, text=True).stdout
    assert "sfu.example.test" in cert and "192.0.2.7" in cert and "DNS:localhost" in cert
    key = subprocess.run(["openssl", "pkey", "-in", str(out / "privkey.pem"), "-noout", "-text"],
                         check=True, capture_output=True, text=True).stdout
    assert "prime256v1" in key
    again = subprocess.run(["bash", script, str(out)], capture_output=True)
    assert again.returncode != 0  # refuses to overwrite without --force
    subprocess.run(["bash", script, "--force", str(out)], check=True, capture_output=True)
