#!/bin/sh
# The crash loop of issue 14 (docs/reliability.md), long variant: 20 rounds of SIGKILLs at random
# moments during a large process run, an import and a suborder-creating invoice (60 kills) on a
# desk of 20,000 backordered lines; after each kill `check` passes, the work is wholly there or
# wholly absent, and the next run starts at once and completes it. `swift test` runs 2 rounds.
set -eu
cd "$(dirname "$0")/../.."
BACKORDERS_LONG_TESTS=1 swift test --filter 'LoadAndCrashTests.testKilledAtRandomMomentsTheDeskIsWhole' "$@"
