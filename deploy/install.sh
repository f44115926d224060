#!/usr/bin/env bash
# Installs PropertyWatch as a systemd service on this machine (for the municipality's IT):
# builds a release binary, installs it to /usr/local/bin, creates the propertywatch user,
# puts a configuration in /etc/propertywatch (the Upplands-Bro example unless one exists),
# installs and starts the unit. Run as root. Re-running upgrades the binary and keeps the
# configuration and the journal.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || { echo "install: run as root"; exit 1; }
bash deploy/setup.sh

swift build -c release --product propertywatchd
swift build -c release --product pwctl
swift build -c release --product pw-dc09
install -m 0755 "$(swift build -c release --show-bin-path)/propertywatchd" /usr/local/bin/propertywatchd
install -m 0755 "$(swift build -c release --show-bin-path)/pwctl" /usr/local/bin/pwctl
install -m 0755 "$(swift build -c release --show-bin-path)/pw-dc09" /usr/local/bin/pw-dc09

id propertywatch >/dev/null 2>&1 || useradd --system --home /var/lib/propertywatch --shell /usr/sbin/nologin propertywatch
install -d -m 0750 -o root -g propertywatch /etc/propertywatch
if [[ ! -f /etc/propertywatch/propertywatchd.yaml ]]; then
    install -m 0640 -o root -g propertywatch deploy/config/upplands-bro.yaml /etc/propertywatch/propertywatchd.yaml
    echo "install: example configuration installed; edit /etc/propertywatch/propertywatchd.yaml"
fi
/usr/local/bin/propertywatchd validate --config /etc/propertywatch/propertywatchd.yaml
if ! grep -q '^\s*users_file:' /etc/propertywatch/propertywatchd.yaml; then
    echo "install: no http.users_file: the operator API is open to anyone who reaches it on loopback."
    echo "install: add operators (pwctl hash-token, pwctl hash-password) to a file such as"
    echo "install: /etc/propertywatch/users (mode 0640, group propertywatch) and set http.users_file."
fi

install -m 0644 deploy/systemd/propertywatchd.service /etc/systemd/system/propertywatchd.service
# The template for an active/standby pair is installed too, not started: with
# `ha: {enabled: true}` in the configuration, run `propertywatchd@a` here and `propertywatchd@b`
# on the second host instead of `propertywatchd` (deploy/docs/STANDBY.md).
install -m 0644 deploy/systemd/propertywatchd@.service /etc/systemd/system/propertywatchd@.service
systemctl daemon-reload
# `ha:` with `enabled: true`, in flow style or in the block under it.
if awk '/^ha:/ {inha=1; if ($0 ~ /enabled: *true/) found=1; next} /^[^ #]/ {inha=0} inha && /^ +enabled: *true/ {found=1} END {exit !found}' /etc/propertywatch/propertywatchd.yaml; then
    echo "install: ha is enabled: start this host's node with systemctl enable --now propertywatchd@a (or @b)"
else
    systemctl enable --now propertywatchd
    systemctl --no-pager status propertywatchd || true
fi

# The DC-09 gateway is installed but not started: it needs the panels' accounts and key files
# first (deploy/docs/DC09.md), then: systemctl enable --now pw-dc09
install -d -m 0750 -o propertywatch -g propertywatch /etc/propertywatch/dc09
install -m 0644 deploy/systemd/pw-dc09.service /etc/systemd/system/pw-dc09.service
systemctl daemon-reload
echo "install: pw-dc09 installed; see deploy/docs/DC09.md, then systemctl enable --now pw-dc09"
