#!/usr/bin/env bash
# Makes the broker's ACL and one password per client for a PropertyWatch configuration:
#   bash deploy/mosquitto/make-credentials.sh CONFIG OUTDIR
# writes OUTDIR/propertywatch.acl (from `propertywatchd broker-acl`), OUTDIR/propertywatch.passwd
# (hashed, for Mosquitto's password_file) and OUTDIR/secrets/USERNAME (each client's password,
# mode 0600, to hand to that device, unit or the daemon's broker.password_file). Existing
# secrets are kept, so re-running after adding a device changes no one else's password.
set -euo pipefail
config=${1:?usage: make-credentials.sh CONFIG OUTDIR}
out=${2:?usage: make-credentials.sh CONFIG OUTDIR}
daemon=${PROPERTYWATCHD:-propertywatchd}
umask 077
mkdir -p "$out/secrets"
"$daemon" broker-acl --config "$config" > "$out/propertywatch.acl"
: > "$out/propertywatch.passwd"
for user in $(awk '$1 == "user" { print $2 }' "$out/propertywatch.acl"); do
    secret="$out/secrets/$user"
    [[ -s $secret ]] || openssl rand -base64 24 > "$secret"
    mosquitto_passwd -b "$out/propertywatch.passwd" "$user" "$(cat "$secret")"
done
echo "make-credentials: $(grep -c '^user ' "$out/propertywatch.acl") clients in $out"
