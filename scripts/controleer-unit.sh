#!/usr/bin/env bash
# Verifies the systemd unit: `systemd-analyze verify` must exit 0 and print nothing. It warns about an unknown
# or misspelt key without failing, so any output counts as a failure. verify also needs ExecStart's and
# ExecStartPre's binary to exist: .ci/run installs the package globally first, as docs/service.md does.
# Usage: scripts/controleer-unit.sh [UNIT]   (default deploy/netwerkbrug.service)
set -euo pipefail
unit="${1:-$(dirname "$0")/../deploy/netwerkbrug.service}"
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-analyze is missing (apt-get install systemd)" >&2
  exit 2
fi
uit="$(systemd-analyze verify "$unit" 2>&1)" && rc=0 || rc=$?
if [ "$rc" -ne 0 ] || [ -n "$uit" ]; then
  printf '%s\n' "$uit" >&2
  echo "FAIL  systemd-analyze verify $unit (exit $rc)" >&2
  exit 1
fi
echo "ok    systemd-analyze verify $unit"
