#!/usr/bin/env bash
# Installs the given Debian/Ubuntu packages that are not installed yet; does nothing when all
# are. A package this distribution does not have (Ubuntu ships Chromium only as a snap) is
# skipped with a note; the tests that need it say so.
set -euo pipefail
missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
available=()
for package in "${missing[@]}"; do
    if apt-cache show "$package" >/dev/null 2>&1; then
        available+=("$package")
    else
        echo "not available on this distribution, skipped: $package"
    fi
done
[ ${#available[@]} -eq 0 ] && exit 0
echo "installing: ${available[*]}"
# sudo resets the environment: the variable goes through env.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${available[@]}" >/dev/null
# The coturn package starts its own server on 3478, the port sfu-server's TURN takes: the tests
# need only its tools.
if [[ " ${available[*]} " == *" coturn "* ]] && command -v systemctl >/dev/null && systemctl is-active --quiet coturn 2>/dev/null; then
    $sudo systemctl disable --now coturn >/dev/null 2>&1 || true
fi
