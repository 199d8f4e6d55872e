#!/usr/bin/env bash
# Make a self-signed ECDSA P-256 certificate for sfu-server (development / LAN use).
#
# usage: scripts/gen-certs.sh [--force] [OUTPUT_DIR] [HOST ...]
#
#   OUTPUT_DIR  where to write fullchain.pem and privkey.pem (default: certs/ in the repo)
#   HOST        extra DNS names or IP addresses for subjectAltName; the first one is the CN
#               (default CN: this machine's host name)
#   --force     overwrite existing files
#
# The certificate always covers localhost, 127.0.0.1, ::1 and this machine's host name.
# Point the server at the files with HTTPS_CERT_FULLCHAIN / HTTPS_CERT_PRIVKEY, or leave them
# in certs/ where the server looks by default.
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

force=0
args=()
for arg in "$@"; do
  case "$arg" in
    --force|-f) force=1 ;;
    --help|-h) usage; exit 0 ;;
    -*) echo "gen-certs.sh: unknown option: $arg" >&2; usage >&2; exit 2 ;;
    *) args+=("$arg") ;;
  esac
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="${args[0]:-$repo_root/certs}"
hosts=("${args[@]:1}")

command -v openssl >/dev/null || { echo "gen-certs.sh: openssl not found" >&2; exit 1; }

cert="$out_dir/fullchain.pem"
key="$out_dir/privkey.pem"
if [[ $force -eq 0 && ( -e "$cert" || -e "$key" ) ]]; then
  echo "gen-certs.sh: $cert or $key already exists; use --force to overwrite" >&2
  exit 1
fi

machine="$(hostname 2>/dev/null || echo localhost)"
cn="${hosts[0]:-$machine}"

# subjectAltName: fixed local names, this machine, then the extra hosts (IP or DNS, deduplicated).
san="DNS:localhost,IP:127.0.0.1,IP:::1"
for h in "$machine" "${hosts[@]}"; do
  [[ -z "$h" || "$h" == localhost || "$h" == 127.0.0.1 || "$h" == ::1 ]] && continue
  if [[ "$h" =~ ^[0-9]+(\.[0-9]+){3}$ || "$h" == *:* ]]; then entry="IP:$h"; else entry="DNS:$h"; fi
  [[ ",$san," == *",$entry,"* ]] || san="$san,$entry"
done

mkdir -p "$out_dir"
tmp="$(mktemp -d "$out_dir/.gen-certs.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

(
  umask 077
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 \
    -days 365 -nodes \
    -subj "/CN=$cn" \
    -addext "subjectAltName=$san" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem"
)
chmod 600 "$tmp/privkey.pem"
chmod 644 "$tmp/fullchain.pem"
mv -f "$tmp/privkey.pem" "$key"
mv -f "$tmp/fullchain.pem" "$cert"

echo "wrote $cert and $key (CN=$cn, subjectAltName=$san, valid 365 days)"
