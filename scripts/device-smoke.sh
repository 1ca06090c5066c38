#!/usr/bin/env bash
# The check a person with an Android phone on USB runs (README.md, "Preparing a real phone"):
#
#   scripts/device-smoke.sh SERIAL [ECHO_NUMBER]
#
# Builds and pushes the agent, runs `--probe` (one JSON line: Android version, uid, permissions, every
# hidden lookup, each audio policy registration, UiAutomation, WhatsApp and the audio route), prints the
# route and saves the line to phone-agent/android/build/probe-SERIAL.json. Given ECHO_NUMBER (international
# digits without +, a WhatsApp account that answers and plays back what it hears), it starts the agent on
# its own socket, places a WhatsApp call through it and measures the audio round trip.
#
# Stop the station first (or leave this phone unconfigured): the station's own agent on the same phone
# would hold the audio policies. SIP2WA_SMOKE_SU=1 runs the agent through `su` (a rooted phone).
set -euo pipefail
cd "$(dirname "$0")/.."

SERIAL="${1:-}"
NUMBER="${2:-}"
REMOTE=/data/local/tmp/sip2wa-agent.jar
JAR=phone-agent/android/build/sip2wa-agent.jar
SOCKET=sip2wa_smoke
NAME=sip2wa-smoke

fail() {
  echo "device-smoke: $*" >&2
  exit 1
}

if [ -z "$SERIAL" ] || [ "$SERIAL" = "-h" ] || [ "$SERIAL" = "--help" ]; then
  echo "usage: scripts/device-smoke.sh SERIAL [ECHO_NUMBER]   (SERIAL from 'adb devices')" >&2
  exit 2
fi
if [ -n "$NUMBER" ] && ! [[ "$NUMBER" =~ ^[1-9][0-9]{5,14}$ ]]; then
  fail "ECHO_NUMBER must be international digits without + (e.g. 15550100001), got '$NUMBER'"
fi
command -v adb >/dev/null 2>&1 || fail "adb not found (scripts/setup.sh installs it)"

phone() {
  adb -s "$SERIAL" "$@"
}

state="$(phone get-state 2>/dev/null || true)"
[ "$state" = "device" ] || fail "phone $SERIAL is not ready (adb state: ${state:-not connected}); enable USB debugging and accept this computer's key on the phone"

npm run build:agent --silent
phone push "$JAR" "$REMOTE" >/dev/null || fail "pushing the agent to $SERIAL failed"

RUN="CLASSPATH=$REMOTE app_process / --nice-name=$NAME org.sip2wa.agent.Main"
if [ "${SIP2WA_SMOKE_SU:-}" = "1" ]; then
  as_agent() { phone shell "su -c '$1'"; }
else
  as_agent() { phone shell "$1"; }
fi

echo "device-smoke: $SERIAL: $(phone shell getprop ro.product.manufacturer | tr -d '\r') $(phone shell getprop ro.product.model | tr -d '\r'), Android $(phone shell getprop ro.build.version.release | tr -d '\r')"
probe="$(as_agent "$RUN --probe" 2>&1 | tr -d '\r' | grep '^{' | tail -1 || true)"
[ -n "$probe" ] || fail "the agent printed no probe line; run: adb -s $SERIAL shell $RUN --probe"
mkdir -p phone-agent/android/build
echo "$probe" >"phone-agent/android/build/probe-$SERIAL.json"
node -e '
  const p = JSON.parse(process.argv[1]);
  const a = p.audio || {};
  console.log(`device-smoke: uid ${p.uid}${p.root ? " (root)" : ""}, WhatsApp ${p.whatsapp && p.whatsapp.version || "not installed"}, UiAutomation ${p.uiAutomation}`);
  console.log(`device-smoke: audio route: ${a.route || "unknown"}${a.reason ? " (" + a.reason + ")" : ""}`);
  const failed = Object.entries(p.lookups || {}).filter(([, r]) => !String(r).startsWith("ok"));
  for (const [name, r] of failed) console.log(`device-smoke:   ${name}: ${r}`);
' "$probe"
echo "device-smoke: probe saved to phone-agent/android/build/probe-$SERIAL.json"

[ -n "$NUMBER" ] || exit 0

port=""
cleanup() {
  [ -n "$port" ] && phone forward --remove "tcp:$port" >/dev/null 2>&1 || true
  as_agent "pkill -f $NAME" >/dev/null 2>&1 || true
}
trap cleanup EXIT

as_agent "pkill -f $NAME" >/dev/null 2>&1 || true
# setsid: the agent must outlive this adb shell, like the station's
as_agent "CLASSPATH=$REMOTE setsid app_process / --nice-name=$NAME org.sip2wa.agent.Main --socket $SOCKET </dev/null >/dev/null 2>&1 &" >/dev/null
for _ in $(seq 1 20); do
  phone shell cat /proc/net/unix 2>/dev/null | grep -q "@$SOCKET" && break
  sleep 0.5
done
phone shell cat /proc/net/unix 2>/dev/null | grep -q "@$SOCKET" ||
  fail "the agent did not start listening on @$SOCKET; see: adb -s $SERIAL logcat -s sip2wa-agent"
port="$(phone forward tcp:0 "localabstract:$SOCKET" | tr -d '\r\n')"
echo "device-smoke: calling $NUMBER through the agent (forward tcp:$port)"
npx tsx scripts/device-smoke-call.ts --port "$port" --number "$NUMBER"
