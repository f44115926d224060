#!/usr/bin/env bash
# Installs what PropertyWatch needs on a Debian machine, when it is missing:
# the Mosquitto broker and clients, libmosquitto and SQLite headers, pkg-config, openssl (the
# TLS tests make their own certificates), systemd (systemd-analyze rates the unit), and
# Chromium with Python (headless, for the dashboard's browser test).
# Swift itself is expected on PATH (the toolchain is not an apt package).
set -euo pipefail

packages=(mosquitto mosquitto-clients libmosquitto-dev libsqlite3-dev sqlite3 pkg-config curl openssl systemd python3 chromium)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The Debian package starts a system broker on port 1883; PropertyWatch's scripts start their
# own on a free loopback port instead and leave the system one alone.
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install the Swift 6 toolchain)"; exit 1; }

# The DC-09 gateway's integration tests drive a real third-party dialler, the PyPI package
# dc09-spt, from a virtualenv. dc09-spt declares pycrypto, which no longer builds on current
# Python; PyCryptodome provides the same Crypto.Cipher API (the test driver adapts its str/bytes
# difference), so dc09-spt is installed without its declared dependency.
dc09_venv=.build-venv/dc09
if [[ ! -x $dc09_venv/bin/python ]] || ! "$dc09_venv/bin/python" -c 'import dc09_spt, Crypto' 2>/dev/null; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        sudo_cmd=()
        [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq python3-venv >/dev/null
    fi
    echo "setup: virtualenv $dc09_venv with dc09-spt 0.0.4 and pycryptodome"
    rm -rf "$dc09_venv"
    python3 -m venv "$dc09_venv"
    "$dc09_venv/bin/pip" install -q --disable-pip-version-check 'pycryptodome>=3.20,<5'
    "$dc09_venv/bin/pip" install -q --disable-pip-version-check --no-deps 'dc09-spt==0.0.4'
fi
