#!/usr/bin/env bash
# Records every script here against the shared/peers Dovecot, each from a freshly seeded alice
# (reset-alice.sh), into ../NAME.txt with the header the transcript harness reads.
# Usage: record-all.sh [NAME...]   (default: all scripts)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REC=${RECORD:-/work/shared/peers/record.py}
names=("$@"); [ ${#names[@]} -eq 0 ] && names=($(cd "$HERE" && ls *.script | sed 's/\.script$//'))
for n in "${names[@]}"; do
  bash "$HERE/reset-alice.sh"
  if [ "$n" = idle ]; then
    # A message arrives while the session idles.
    (sleep 2; swaks -S --server 127.0.0.1:2525 --from carol@example.net --to alice@example.com \
       --header "Subject: While you were idling" --body "New mail." >/dev/null) &
  fi
  {
    echo "# Recorded from Dovecot 2.3 on loopback: record.py 127.0.0.1:1143 tests/transcripts/imap/scripts/$n.script, after reset-alice.sh."
    echo "# connect: mail.example.com 143"
    echo "# vary: timing sizes uidvalidity trace capabilities"
    python3 "$REC" 127.0.0.1:1143 "$HERE/$n.script"
  } > "$HERE/../$n.txt"
  wait
  echo "recorded $n: $(grep -c '^S:' "$HERE/../$n.txt") server lines"
done
