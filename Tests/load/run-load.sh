#!/bin/sh
# The load test of issue 14 (docs/reliability.md): 8 processes entering 200 orders each for 3
# scarce LICs, 2 posting receipts and adjustments, 1 running the backorder processes in a loop,
# 1 changing priorities and voiding, 2 readers sampling a LIC and the Backorders page, and this
# driver running `lic show` all the while; then `check`, every order once, allotted never above on
# hand, no "database is locked" anywhere, and p50/p99 of a read and of an entry, each timed inside
# the process doing it. Exit 0 when every check passes.
#
#   Tests/load/run-load.sh                 # the figures in docs/reliability.md
#   Tests/load/run-load.sh --json          # the same as one JSON document
#   ENTRY=4 ORDERS=50 Tests/load/run-load.sh
#
# `swift test` runs a short version (LoadAndCrashTests.testManyProcessesAtOnceLoseNothingAndNobodySeesALock).
set -eu
cd "$(dirname "$0")/../.."
swift build -c release --product backorders >&2
dir=$(mktemp -d "${TMPDIR:-/tmp}/backorders-load.XXXXXX")
trap 'rm -rf "$dir"' EXIT
.build/release/backorders load --db "$dir/load.sqlite" \
    --entry "${ENTRY:-8}" --orders "${ORDERS:-200}" --lics 3 \
    --receivers "${RECEIVERS:-2}" --runners 1 --supervisors 1 --readers "${READERS:-2}" "$@"
