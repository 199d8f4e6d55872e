#!/usr/bin/env python3
"""Relays the same turnutils_uclient workload through coturn and through `sfu-server turn`, both
running on loopback, each row measured on both at the same time (one uclient against each), and
prints one table: relayed packets/s, loss, round trip, server CPU seconds, relayed packets per
server CPU-second, peak RSS, and our/coturn ratios; then how fast each sets up allocations
(turn_allocation_rate.py: the rate is the Python client's, the allocations per server CPU-second
the server's).

Usage: scripts/bench-turn.py [--server .build/release/sfu-server] [--quick] [--clients N ...]
                             [--messages M] [--repeat R]
(scripts/bench-turn.sh installs coturn and builds the release binary first.)
"""
import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

import turn_allocation_rate

USER, PASSWORD, REALM = "bench", "bench-password", "bench"


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid):
    """CPU time of the process's threads to the nanosecond, from the scheduler's own account
    (/proc/PID/task/*/schedstat). utime and stime in /proc/PID/stat count whole 10 ms ticks, and a
    row costs only a few dozen of them. Both servers keep their threads for their whole run, so no
    time is lost with a thread that exits."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(open(f"/proc/{pid}/task/{task}/schedstat").read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / 1e9


def peak_rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_for_udp_port(port, timeout=10):
    """A STUN Binding request answered means the server is up."""
    request = bytes.fromhex("000100002112a442") + os.urandom(12)
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.settimeout(0.2)
        while time.monotonic() < deadline:
            probe.sendto(request, ("127.0.0.1", port))
            try:
                probe.recv(1500)
                return
            except OSError:
                pass
    raise RuntimeError(f"nothing answers STUN on port {port}")


def start_coturn(port, workdir):
    command = ["turnserver", "-n", "--no-cli", "--allow-loopback-peers", "--no-tls", "--no-dtls",
               "-L", "127.0.0.1", "-E", "127.0.0.1", "-p", str(port), "--min-port", "50000", "--max-port", "54999",
               "--realm", REALM, "--lt-cred-mech", "--user", f"{USER}:{PASSWORD}",
               "--no-stdout-log", "--log-file", os.path.join(workdir, "coturn.log"),
               "--pidfile", os.path.join(workdir, "coturn.pid")]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_ours(binary, port, workdir):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SFU_TURN_LISTEN_IP": "127.0.0.1", "MEDIASOUP_LISTEN_IP": "127.0.0.1", "SFU_TURN_PORT": str(port),
        "SFU_TURN_TLS_PORT": "0", "SFU_TURN_HEALTH_PORT": str(free_port()), "SFU_TURN_REALM": REALM,
        "SFU_TURN_USERS": f"{USER}:{PASSWORD}", "SFU_TURN_ALLOW_PEER": "127.0.0.0/8",
        "SFU_TURN_MIN_PORT": "55000", "SFU_TURN_MAX_PORT": "59999", "SFU_LOG_LEVEL": "warning",
        # uclient leaves its allocations to expire; like coturn's defaults, set no quota.
        "SFU_TURN_USER_QUOTA": "0", "SFU_TURN_TOTAL_QUOTA": "0",
    }
    return subprocess.Popen([binary, "turn"], cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_uclient(port, peer_port, clients, messages, size, flags):
    command = ["turnutils_uclient", *flags, "-u", USER, "-w", PASSWORD, "-p", str(port), "-e", "127.0.0.1",
               "-r", str(peer_port), "-m", str(clients), "-n", str(messages), "-l", str(size), "-z", "5",
               "-c", "127.0.0.1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return process, command, time.monotonic()


def finish_uclient(started):
    process, command, start = started
    output, _ = process.communicate(timeout=600)
    elapsed = time.monotonic() - start
    totals = re.search(r"tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\n", output)
    lost = re.search(r"Total lost packets (\d+)", output)
    rtt = re.search(r"Average round trip delay ([\d.]+) ms; min = (\d+) ms, max = (\d+) ms", output)
    transmit = re.search(r"Total transmit time is (\d+)", output)
    if not (totals and lost and rtt):
        if "channel bind: error 400" in output:
            raise ChannelNumberCollision(f"{' '.join(command)}: {output[-300:]}")
        raise RuntimeError(f"uclient failed: {' '.join(command)}\n{output[-1500:]}")
    return {
        "sent": int(totals.group(1)), "received": int(totals.group(2)), "lost": int(lost.group(1)),
        "rtt_avg": float(rtt.group(1)), "rtt_max": int(rtt.group(3)),
        "seconds": float(transmit.group(1)) if transmit else elapsed, "wall": elapsed,
    }


def run_uclient(port, peer_port, clients, messages, size, flags):
    return finish_uclient(start_uclient(port, peer_port, clients, messages, size, flags))


class ChannelNumberCollision(RuntimeError):
    """uclient binds a random channel to the peer's port + 1, then a new random one to the peer:
    once in 16 384 clients the two numbers are the same and the server rightly refuses the second
    (400, RFC 8656 §11.2; coturn too). Not the server's failure: the row is run again."""


def measure_together(servers, peer_port, row, attempts=3):
    """Runs `row` against every server at once, so whatever the machine does meanwhile (a busy
    neighbour on a VM, a change of clock speed) falls on all of them alike."""
    for _ in range(attempts):
        try:
            return measure_once(servers, peer_port, row)
        except ChannelNumberCollision as collision:
            print(f"  run again: {collision}", file=sys.stderr, flush=True)
    raise RuntimeError(f"uclient's channel numbers collided {attempts} times in a row")


def measure_once(servers, peer_port, row):
    cpu_before = {name: cpu_seconds(server.pid) for name, (server, _) in servers.items()}
    started = {name: start_uclient(port, peer_port, row["clients"], row["messages"], row["size"], row["flags"])
               for name, (_, port) in servers.items()}
    # Every uclient is waited for before one's failure is raised: a run left going would share
    # the machine with the row's next attempt.
    results, failures = {}, []
    for name, process in started.items():
        try:
            results[name] = finish_uclient(process)
        except RuntimeError as failure:
            failures.append(failure)
    if failures:
        raise failures[0]
    for name, result in results.items():
        server = servers[name][0]
        result["cpu"] = cpu_seconds(server.pid) - cpu_before[name]
        # Each message crosses the server twice: client to peer, and the echo back.
        relayed = result["sent"] + result["received"]
        result["pps"] = relayed / max(result["wall"], 1e-9)
        result["per_cpu"] = relayed / max(result["cpu"], 1e-9)
        result["rss"] = peak_rss_mib(server.pid)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default=".build/release/sfu-server")
    parser.add_argument("--quick", action="store_true", help="a small matrix, for checking the script")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50, 100], help="client counts to run")
    parser.add_argument("--messages", type=int,
                        help="messages per client; by default enough for about 20 000 relayed packets a row, "
                             "at least 200 (shorter rows cost too little CPU for a steady ratio)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per row; each server's run of median CPU cost is shown, and the median of the runs' ratios")
    args = parser.parse_args()
    binary = os.path.abspath(args.server)

    rows = []
    for clients in ([10] if args.quick else args.clients):
        messages = 100 if args.quick else args.messages or max(200, 10_000 // clients)
        for size in [120, 1000]:
            for name, flags in [("udp channel", []), ("udp indication", ["-s"]), ("tcp channel", ["-t"]),
                                ("tcp indication", ["-t", "-s"])]:
                rows.append({"clients": clients, "size": size, "mode": name, "flags": flags, "messages": messages})

    workdir = tempfile.mkdtemp(prefix="bench-turn-")
    peer_port = free_port(socket.SOCK_DGRAM)
    peer = subprocess.Popen(["turnutils_peer", "-L", "127.0.0.1", "-p", str(peer_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Both servers run side by side and every row runs against both at once: measured one after
    # the other, the same row ranged ±30% in CPU cost on a VM from one minute to the next.
    servers = {}
    results = {}
    try:
        for name, start in [("coturn", lambda p: start_coturn(p, workdir)), ("ours", lambda p: start_ours(binary, p, workdir))]:
            port = free_port(socket.SOCK_DGRAM)
            servers[name] = (start(port), port)
            wait_for_udp_port(port)
        setups = {name: [] for name in servers}
        for run in range(max(3, args.repeat)):
            for name, (server, port) in servers.items():
                cpu_before, before = cpu_seconds(server.pid), time.monotonic()
                allocations = turn_allocation_rate.run(port, USER, PASSWORD, client_ip=f"127.0.1.{run + 1}")
                setups[name].append((allocations / (time.monotonic() - before),
                                     allocations / max(cpu_seconds(server.pid) - cpu_before, 1e-9)))
        for name, runs in setups.items():
            results[(name, "setup")] = sorted(runs, key=lambda r: r[1])[len(runs) // 2]
        for row in rows:
            runs = {name: [] for name in servers}
            for _ in range(args.repeat):
                for name, result in measure_together(servers, peer_port, row).items():
                    runs[name].append(result)
            # Both servers ran each repeat at the same time, so the ratio of one repeat is free of
            # the machine's drift between repeats: the row's ratio is the median of those.
            ratios = sorted(o["per_cpu"] / max(c["per_cpu"], 1e-9) for o, c in zip(runs["ours"], runs["coturn"]))
            results[("ratio", row["clients"], row["size"], row["mode"])] = ratios[len(ratios) // 2]
            for name in servers:
                # The run of median CPU cost stands for the row.
                result = sorted(runs[name], key=lambda r: r["per_cpu"])[len(runs[name]) // 2]
                results[(name, row["clients"], row["size"], row["mode"])] = result
                print(f"  {name}: {row['clients']} clients, {row['size']} B, {row['mode']}: "
                      f"{result['per_cpu']:.0f} packets per CPU-second", file=sys.stderr, flush=True)
    finally:
        for server, _ in servers.values():
            server.send_signal(signal.SIGKILL)
            server.wait()
        peer.kill()
        peer.wait()

    header = (f"{'clients':>7} {'bytes':>5} {'mode':<15} | {'server':<6} {'pps':>8} {'loss':>6} {'rtt avg/max ms':>14} "
              f"{'cpu s':>6} {'pkts/cpu-s':>10} {'rss MiB':>7} | {'ours/coturn pkts/cpu-s':>22}")
    print(header)
    print("-" * len(header))
    for row in rows:
        key = (row["clients"], row["size"], row["mode"])
        ratio = results[("ratio", *key)]
        for name in ["coturn", "ours"]:
            r = results[(name, *key)]
            loss = r["lost"] / max(r["sent"], 1) * 100
            print(f"{row['clients']:>7} {row['size']:>5} {row['mode']:<15} | {name:<6} {r['pps']:>8.0f} {loss:>5.2f}% "
                  f"{r['rtt_avg']:>7.2f}/{r['rtt_max']:<6} {r['cpu']:>6.2f} {r['per_cpu']:>10.0f} {r['rss']:>7.1f} | "
                  f"{(f'{ratio:.2f}' if name == 'ours' else ''):>22}")
    per_client = dict((row["clients"], row["messages"]) for row in rows)
    print("\nmessages per client: " + ", ".join(f"{m} with {c} clients" for c, m in per_client.items()))
    (coturn_rate, coturn_per_cpu), (our_rate, our_per_cpu) = results[("coturn", "setup")], results[("ours", "setup")]
    print(f"allocation setup (1000 allocations, 50 clients at a time: 401, Allocate, Refresh to 0; the run of median "
          f"CPU cost): coturn {coturn_rate:.0f}/s, {coturn_per_cpu:.0f} per CPU-s; ours {our_rate:.0f}/s, "
          f"{our_per_cpu:.0f} per CPU-s; ours/coturn per CPU-s {our_per_cpu / coturn_per_cpu:.2f}")


if __name__ == "__main__":
    sys.exit(main())
