#!/usr/bin/env bash
# Puts alice's mailbox on the shared/peers Dovecot back to what start-peers.sh seeds: the three
# swaks messages in a new INBOX (new UIDVALIDITY, UIDs 1-3, all \Recent). Run before each
# recording here, so that every transcript starts from the state World::new(seed) starts from.
set -euo pipefail
DIR=${PEERS_DIR:-/tmp/mailsim-peers}
doveadm -c "$DIR/dovecot.conf" kick alice@example.com >/dev/null 2>&1 || true
rm -rf "$DIR/mail/example.com/alice"
u=alice
swaks -S --server 127.0.0.1:2525 --from sender@example.net --to $u@example.com --header "Subject: Welcome, $u" --body "First message for $u." >/dev/null
swaks -S --server 127.0.0.1:2525 --from carol@example.net --to $u@example.com --header "Subject: Report with attachment" --body "See the attached note." --attach-type text/plain --attach-name note.txt --attach "hello attachment content" >/dev/null
swaks -S --server 127.0.0.1:2525 --from dave@example.net --to $u@example.com --header "Subject: Third message" --body "Short one." >/dev/null
for i in $(seq 1 40); do
  n=$(ls "$DIR/mail/example.com/alice/Maildir/new" "$DIR/mail/example.com/alice/Maildir/cur" 2>/dev/null | grep -c '^[0-9]' || true)
  [ "$n" -ge 3 ] && break; sleep 0.25
done
