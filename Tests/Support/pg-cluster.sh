#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for pmcms's PostgreSQL tests (issue 19), on a Unix socket only.
#
#   eval "$(Tests/Support/pg-cluster.sh start DIR)"   # initdb into DIR, start, print the export
#   swift test --filter PostgresStoreTests
#   Tests/Support/pg-cluster.sh stop DIR              # stop the server; then rm -rf DIR
#
# `start` prints `export PMCMS_TEST_POSTGRES=postgres://pmcms@localhost/pmcms?host=DIR/socket`,
# the URL the tests read. The server listens on no TCP address (listen_addresses=''), only on a
# socket in DIR/socket, and trusts local connections: it is for tests, never for content.
# PostgreSQL refuses to run as root: run as root (CI), the cluster belongs to `nobody`.
# Tests need no durability, so the server runs with fsync off; PG_CLUSTER_FSYNC=on (the
# benchmark) makes it sync to disk as an ordinary server does.
# Needs Debian's `postgresql` package (the server binaries in /usr/lib/postgresql/N/bin).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2

# The server binaries: Debian keeps them out of PATH, one folder per major version.
bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ]; then bindir=$candidate; break; fi
done
if [ -z "$bindir" ] && command -v initdb >/dev/null; then bindir=$(dirname "$(command -v initdb)"); fi
if [ -z "$bindir" ]; then
    echo "pg-cluster: no PostgreSQL server found (initdb); install Debian's postgresql package" >&2
    exit 1
fi

# Runs a server command as the cluster's owner: `nobody` when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env -- "$@"
    else
        "$@"
    fi
}

case "$action" in
start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -e "$dir/data" ]; then echo "pg-cluster: $dir/data exists; stop and remove it first" >&2; exit 1; fi
    mkdir "$dir/data" "$dir/socket"
    if [ "$(id -u)" -eq 0 ]; then
        # nobody must reach the folder (a mktemp folder is 0700) and own what the server writes.
        chmod 755 "$dir"
        chown nobody:nogroup "$dir/data" "$dir/socket"
    fi
    chmod 700 "$dir/data"
    as_owner "$bindir/initdb" -D "$dir/data" -A trust -U pmcms --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; exit 1; }
    # The log lives in the socket folder, which the owner can write.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/socket/server.log" -w -t 60 \
        -o "-k $dir/socket -c listen_addresses='' -c fsync=${PG_CLUSTER_FSYNC:-off}" start >/dev/null || {
        cat "$dir/socket/server.log" >&2; exit 1; }
    echo "export PMCMS_TEST_POSTGRES='postgres://pmcms@localhost/postgres?host=$dir/socket'"
    ;;
stop)
    dir=$(cd "$dir" && pwd)
    if [ -e "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
*)
    usage
    ;;
esac
