#!/usr/bin/env bash
# Installs sip2wa station as a systemd service that runs `npm run serve` from this checkout, starts with
# the machine and restarts on failure:
#
#   sudo scripts/install-service.sh [--user USER] [--host ADDRESS] [--port PORT]
#
# USER (default: whoever ran sudo) runs the station and must be able to read this checkout; it is added
# to the plugdev and audio groups (USB phones, headset). The data folder is /var/lib/sip2wa-station.
# --host/--port go to /etc/sip2wa-station/env (mode 600), where SIP2WA_TOKEN goes too when the console
# listens beyond loopback; an existing env file is kept. `--output FILE` only writes the unit there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TEMPLATE="$ROOT/packaging/systemd/sip2wa-station.service.in"
UNIT_NAME=sip2wa-station.service
user="${SUDO_USER:-$(id -un)}"
host=""
port=""
output=""
while [ $# -gt 0 ]; do
  case "$1" in
    --user) user="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-service: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
id -u "$user" >/dev/null 2>&1 || { echo "install-service: --user $user: no such user" >&2; exit 2; }
npm_bin="$(command -v npm || true)"
[ -n "$npm_bin" ] || { echo "install-service: npm is not on PATH (install Node.js 20 first)" >&2; exit 2; }
case "$ROOT$user" in *[\|\&\\]*) echo "install-service: the checkout path or user name contains | & or \\" >&2; exit 2 ;; esac

render() {
  sed -e "s|@ROOT@|$ROOT|g" -e "s|@USER@|$user|g" -e "s|@NPM@|$npm_bin|g" "$TEMPLATE"
}

if [ -n "$output" ]; then
  render >"$output"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "install-service: run it as root (sudo $0 ...)" >&2; exit 2; }
render >"/etc/systemd/system/$UNIT_NAME"
systemd-analyze verify "/etc/systemd/system/$UNIT_NAME"
for group in plugdev audio; do
  getent group "$group" >/dev/null || groupadd --system "$group"
  usermod -a -G "$group" "$user"
done
install -d -m 0755 /etc/sip2wa-station
env_file=/etc/sip2wa-station/env
if [ ! -f "$env_file" ]; then
  umask 077
  {
    echo "# sip2wa station service settings (systemd EnvironmentFile). Beyond loopback, set SIP2WA_TOKEN"
    echo "# (16 characters or more), e.g. from: openssl rand -hex 24"
    echo "SIP2WA_HOST=${host:-127.0.0.1}"
    echo "SIP2WA_PORT=${port:-8420}"
    echo "#SIP2WA_TOKEN="
  } >"$env_file"
else
  [ -z "$host" ] || sed -i "s|^SIP2WA_HOST=.*|SIP2WA_HOST=$host|" "$env_file"
  [ -z "$port" ] || sed -i "s|^SIP2WA_PORT=.*|SIP2WA_PORT=$port|" "$env_file"
fi
chmod 600 "$env_file"
env_host="$(sed -n 's/^SIP2WA_HOST=//p' "$env_file" | tail -1)"
case "$env_host" in
  127.*|localhost|::1|'') ;;
  *) grep -q '^SIP2WA_TOKEN=..' "$env_file" || echo "install-service: the console listens on $env_host: set SIP2WA_TOKEN in $env_file (openssl rand -hex 24), or the station refuses to start" >&2 ;;
esac
systemctl daemon-reload
systemctl enable --now "$UNIT_NAME"
echo "install-service: $UNIT_NAME enabled and started as $user; logs: journalctl -u sip2wa-station -f"
