#!/usr/bin/env bash
# Regenerates the station's default voice prompts (assets/prompts/*.wav, 16 kHz mono 16-bit) with
# espeak-ng and sox. The WAVs are committed; run this only to change their wording.
set -euo pipefail
cd "$(dirname "$0")/../assets/prompts"
say() {
  local name=$1 text=$2
  espeak-ng -v en-us -s 150 -w "/tmp/$name.raw.wav" "$text"
  sox "/tmp/$name.raw.wav" -r 16000 -c 1 -b 16 "$name.wav" norm -3
  rm -f "/tmp/$name.raw.wav"
}
say intro "Welcome to the WhatsApp gateway."
say enter-number "Please enter the WhatsApp number with country code, then press hash."
say invalid-number "That number is not valid. Please try again."
say busy "All lines are busy. Please try again later."
say not-on-whatsapp "This number is not on WhatsApp."
say echo-test "Echo test. Speak, and you will hear yourself."
say goodbye "Goodbye."
