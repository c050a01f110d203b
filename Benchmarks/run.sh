#!/usr/bin/env bash
# The pmcms benchmark: builds the release binary, generates the workload, measures pmcms against
# the reference tools in one run and prints every figure with its ratio. Results go to
# Benchmarks/results.json; generated files to Benchmarks/work/ (ignored by git).
#
#   Benchmarks/run.sh            # N = 1,000 and 10,000 pages, a store of 100,000 entries
#   Benchmarks/run.sh --quick    # a smoke run: 200 and 1,000 pages, a store of 2,000 entries
#   Benchmarks/run.sh --serve-only   # only `pmcms serve` under wrk beside nginx, on the
#                                    # 100,000-entry store of an earlier run (built if missing)
#   Benchmarks/run.sh --postgres-only   # only PostgreSQL beside SQLite (import of 10,000 pages,
#                                       # export json/csv of that store copied to PostgreSQL)
#   … --postgres URL                    # a running server instead of a throwaway cluster
#
# On a machine shared with other builds, hold the build lock for the whole run so that nothing
# compiles while it measures (this script takes no lock itself, so that it can run under one):
#   flock /tmp/pmcms-build.lock Benchmarks/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing: $1 ($2)" >&2; exit 2; }; }
need python3 "Debian: apt-get install python3"
need sqlite3 "Debian: apt-get install sqlite3"
need xmllint "Debian: apt-get install libxml2-utils"
[ -x /usr/bin/time ] || { echo "missing: /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
command -v wrk >/dev/null 2>&1 && [ -x /usr/sbin/nginx ] || echo "note: wrk or nginx is not installed (apt-get install wrk nginx-light); the pmcms serve comparison will be skipped" >&2
# PostgreSQL (issue 19): a throwaway cluster needs the server (initdb), the references psql.
pg=""
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
    need psql "Debian: apt-get install postgresql-client"
    pg="--traits PostgreSQL"
else
    echo "note: PostgreSQL is not installed (apt-get install postgresql); its rows will be skipped" >&2
fi
case " $* " in *" --postgres "*) pg="--traits PostgreSQL" ;; esac  # a server given by URL
python3 -c 'import trafilatura' 2>/dev/null || echo "note: trafilatura is not installed (pip install trafilatura lxml_html_clean); its comparison will be skipped" >&2

# Release build with the Swift runtime and Foundation linked in (--static-swift-stdlib), as the
# README recommends for installing: it halves process start (no loading of a dozen Swift
# libraries at every command), which is most of what `show` and `history` cost.
# With PostgreSQL installed, the binary takes postgres:// stores too (the trait; SQLite unchanged).
build=(swift build -c release --scratch-path .build-release --static-swift-stdlib $pg)
echo "building release binaries (.build-release, static Swift runtime) ..." >&2
"${build[@]}" --product pmcms >&2
"${build[@]}" --product pmcms-bench-store >&2
bin="$("${build[@]}" --show-bin-path)"

exec python3 Benchmarks/bench.py --bin "$bin" "$@"
