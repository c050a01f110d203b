#!/usr/bin/env bash
# Builds the libFuzzer target for extraction and HTML → Markdown and runs it for SECONDS
# (default 60). Not part of `swift test` or CI.
#
#   Fuzz/run.sh 600            # ten minutes
#   Fuzz/run.sh 60 -jobs=2     # extra libFuzzer flags after the seconds
#
# The seed corpus is the test fixtures and the sample site; new inputs libFuzzer finds go to
# .build-fuzz/corpus (git-ignored), crashes to .build-fuzz/crashes. The build takes the shared
# build lock (/tmp/pmcms-build.lock) so that it does not compete with other builds; the run
# itself does not hold it.
set -euo pipefail
seconds="${1:-60}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
scratch="$root/.build-fuzz"

# Address sanitizer too, so that memory errors in the libxml2 glue are caught, not only crashes.
flock /tmp/pmcms-build.lock swift build --package-path "$here" --scratch-path "$scratch" -c release \
    -Xswiftc -sanitize=fuzzer,address --product FuzzImports
binary="$(swift build --package-path "$here" --scratch-path "$scratch" -c release --show-bin-path)/FuzzImports"

mkdir -p "$scratch/corpus" "$scratch/crashes" "$scratch/seeds"
find "$root/Tests/Fixtures" "$root/Imports/SampleSite" -type f \( -name '*.html' -o -name '*.htm' \) \
    -exec cp {} "$scratch/seeds/" \;

# One core, as the machine is shared; inputs up to 64 KiB (real pages are larger, but the
# parser's paths are all reachable in that much); 10 s per input counts as a hang.
"$binary" "$scratch/corpus" "$scratch/seeds" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -dict="$here/html.dict" -artifact_prefix="$scratch/crashes/" -print_final_stats=1 "$@"
