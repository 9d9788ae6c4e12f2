#!/usr/bin/env bash
# Records scripts here against the shared/peers Dovecot (IMAP, 127.0.0.1:1143), each from a
# freshly seeded alice (tests/transcripts/imap/scripts/reset-alice.sh), into
# tests/transcripts/imap/NAME.txt with the header the transcript harness reads.
# Usage: record.sh NAME...   (NAME.script in this directory)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
REC=${RECORD:-/work/shared/peers/record.py}
for n in "$@"; do
  bash "$ROOT/tests/transcripts/imap/scripts/reset-alice.sh"
  {
    echo "# Recorded from Dovecot 2.3 on loopback: record.py 127.0.0.1:1143 tests/peers-scripts/imap/$n.script, after reset-alice.sh."
    echo "# connect: mail.example.com 143"
    echo "# vary: timing sizes uidvalidity trace capabilities"
    python3 "$REC" 127.0.0.1:1143 "$HERE/$n.script"
  } > "$ROOT/tests/transcripts/imap/$n.txt"
  echo "recorded $n: $(grep -c '^S:' "$ROOT/tests/transcripts/imap/$n.txt") server lines"
done
