"""pmcms on PostgreSQL beside pmcms on SQLite, in the same run (issue 19): the import of the
benchmark's N pages into an empty store, and `export json` / `export csv` of the
100,000-entry store, which `pmcms store copy` puts on PostgreSQL first (timed). The reference
for the exports is `psql -c "\\copy (SELECT …) to stdout csv"` over the same database: the
columns `export csv` prints, and for JSON each live entry's stored columns as `row_to_json`.

The server is a throwaway cluster (Tests/Support/pg-cluster.sh) in a temporary folder,
stopped and removed at the end, also when the benchmark fails; `--postgres URL` uses a running
server instead (its databases `pmcms_bench_*` are made there and kept, so that the copied
store is reused by the next run). Without PostgreSQL installed the rows are skipped with a note.
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLUSTER_SCRIPT = os.path.join(ROOT, "Tests", "Support", "pg-cluster.sh")

# The columns `export csv` prints (CSVColumn, in its order), from each entry's live revision,
# in the export's order: what psql's \copy writes for the same rows.
CSV_SELECT = """SELECT e.id, e.slug, e.kind, r.status, r.title, r.body, r.summary, r.image_url, r.source_url,
    r.edited_at, e.created_at, e.updated_at, r.published_at, r.number AS revision
    FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.live WHERE e.live IS NOT NULL ORDER BY e.id"""
# The stored columns of the entry object, one JSON object per entry (row_to_json): no body_html and
# no resolved links, which have no SQL equivalent, so this is a floor, not a twin.
JSON_SELECT = """SELECT row_to_json(x) FROM (SELECT e.id, e.slug, e.kind, r.status, r.number AS revision,
    e.live AS live_revision, r.title, r.body, r.summary, r.image_url, r.source_url, r.edited_at, e.created_at,
    e.updated_at, r.published_at, r.related, r.articles
    FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.live WHERE e.live IS NOT NULL ORDER BY e.id) x"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def server_installed():
    """Whether a PostgreSQL server (initdb) is there for a throwaway cluster."""
    return any(os.access(os.path.join(d, "initdb"), os.X_OK) for d in glob.glob("/usr/lib/postgresql/*/bin")) \
        or shutil.which("initdb") is not None


def with_database(url, name):
    """`url` (postgres://USER@HOST/DB?host=…) naming database `name` instead."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


class Cluster:
    """A throwaway cluster in a temporary folder, or a running server given by URL."""

    def __init__(self, url=None):
        self.given = url
        self.url = url
        self.folder = None

    def __enter__(self):
        if self.url:
            return self
        self.folder = tempfile.mkdtemp(prefix="pmcms-bench-pg-")
        # The benchmark's server syncs to disk as a real one does (the test cluster does not).
        env = dict(os.environ, PG_CLUSTER_FSYNC="on")
        out = subprocess.run(["bash", CLUSTER_SCRIPT, "start", self.folder], capture_output=True, text=True, env=env)
        if out.returncode != 0:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise SystemExit(f"could not start a PostgreSQL cluster:\n{out.stderr}")
        self.url = re.search(r"PMCMS_TEST_POSTGRES='([^']+)'", out.stdout).group(1)
        log(f"PostgreSQL cluster in {self.folder}")
        return self

    def __exit__(self, *_):
        if self.folder:
            subprocess.run(["bash", CLUSTER_SCRIPT, "stop", self.folder])
            shutil.rmtree(self.folder, ignore_errors=True)
            log(f"PostgreSQL cluster stopped and removed ({self.folder})")
        return False

    def psql(self, database, *args, stdout=subprocess.PIPE):
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", with_database(self.url, database), *args]
        return cmd, stdout

    def sql(self, database, statement):
        cmd, _ = self.psql(database, "-At", "-c", statement)
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"psql failed: {statement}\n{out.stderr}")
        return out.stdout.strip()

    def fresh_database(self, name):
        self.sql("postgres", f'DROP DATABASE IF EXISTS "{name}"')
        self.sql("postgres", f'CREATE DATABASE "{name}"')
        return with_database(self.url, name)

    def has_database(self, name):
        return self.sql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def same_export(a, b):
    """Whether two export files hold the same bytes, the `generated_at` value aside."""
    stamp = re.compile(rb'"generated_at":"[^"]*"')
    with open(a, "rb") as fa, open(b, "rb") as fb:
        head_a, head_b = fa.read(4096), fb.read(4096)
        if stamp.sub(b"", head_a) != stamp.sub(b"", head_b):
            return False
        while True:
            chunk_a, chunk_b = fa.read(1 << 20), fb.read(1 << 20)
            if chunk_a != chunk_b:
                return False
            if not chunk_a:
                return True


def load():
    return [round(x, 2) for x in os.getloadavg()]


def bench_postgres(bench, run, store_db, sqlite_import=None, sqlite_exports=None, url=None):
    """The PostgreSQL rows. `sqlite_import` (seconds of the first SQLite import of the large page
    set) and `sqlite_exports` ({"json": (seconds, file), "csv": …} of `store_db`) come from the
    same run; when missing they are measured here, just before their PostgreSQL twins."""
    if not url and not server_installed():
        note = "PostgreSQL is not installed (Debian: apt-get install postgresql); its rows are skipped"
        log(f"note: {note}")
        bench.figures["postgres"] = {"note": note}
        bench.rows.append(("PostgreSQL rows", "", note, "", "", "not measured"))
        return
    if shutil.which("psql") is None:
        raise SystemExit("missing: psql (Debian: apt-get install postgresql-client)")
    # SIGTERM (a timeout, a CI cancel) unwinds like Ctrl-C, so that the cluster is stopped.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with Cluster(url) as cluster:
            bench.figures["postgres_server"] = cluster.sql("postgres", "SHOW server_version")
            bench.figures["postgres_settings"] = {
                name: cluster.sql("postgres", f"SHOW {name}") for name in ("fsync", "synchronous_commit", "shared_buffers")}
            bench.figures["postgres_cluster"] = "given by --postgres" if url else "throwaway (Tests/Support/pg-cluster.sh)"
            pg_import(bench, run, cluster, sqlite_import)
            pg_exports(bench, run, cluster, store_db, sqlite_exports or {})
    finally:
        signal.signal(signal.SIGTERM, previous)


def pg_import(bench, run, cluster, sqlite_seconds):
    n = bench.large
    folder = os.path.join(bench.work, f"pages-{n}")
    args = ["import", folder, "--base-url", "https://www.example.org/faq"]
    if sqlite_seconds is None:
        db = os.path.join(bench.work, f"import-{n}.sqlite")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        log(f"import of {n} pages into SQLite ...")
        sqlite_seconds, _, _ = run(bench.pm(db, *args), env=bench.env)
    url = cluster.fresh_database(f"pmcms_bench_import_{n}")
    log(f"import of {n} pages into PostgreSQL ...")
    before = load()
    seconds, rss, _ = run(bench.pm(url, *args), env=bench.env)
    entries = int(cluster.sql(f"pmcms_bench_import_{n}", "SELECT count(*) FROM entry"))
    bench.figures["postgres_import_load"] = {"before": before, "after": load()}
    bench.record(f"pg_import_{n}_s", f"PostgreSQL: import {n:,} pages ({entries:,} entries)", seconds, "s",
                 sqlite_seconds, "SQLite, same pages", seconds / sqlite_seconds, "≤ 2× SQLite", seconds / sqlite_seconds <= 2)
    bench.record(f"pg_import_{n}_peak_rss", f"PostgreSQL: peak RSS, import of {n:,} pages", rss, "MB")


def pg_exports(bench, run, cluster, store_db, sqlite_exports):
    n = bench.store_size
    name = f"pmcms_bench_store_{n}"
    entries, revisions = (int(x) for x in subprocess.run(
        ["sqlite3", "-readonly", store_db, "SELECT (SELECT count(*) FROM entry), (SELECT count(*) FROM revision);"],
        capture_output=True, text=True, check=True).stdout.strip().split("|"))
    url = with_database(cluster.url, name)
    reuse = cluster.given and cluster.has_database(name) and cluster.sql(
        name, "SELECT (SELECT count(*) FROM entry) || '|' || (SELECT count(*) FROM revision)") == f"{entries}|{revisions}"
    if reuse:
        log(f"reusing the PostgreSQL store {name} ({entries:,} entries, {revisions:,} revisions)")
        bench.figures["pg_store_copy"] = {"note": f"reused from an earlier run on {cluster.given}"}
    else:
        url = cluster.fresh_database(name)
        log(f"pmcms store copy of the {n:,}-entry store to PostgreSQL ...")
        seconds, rss, _ = run([bench.pmcms, "store", "copy", store_db, url], env=bench.env)
        bench.record("pg_store_copy_s", f"PostgreSQL: store copy of {n:,} entries, {revisions:,} revisions (verified)",
                     seconds, "s")
        bench.record("pg_store_copy_revisions_per_s", "PostgreSQL: store copy rate", revisions / seconds, "revisions/s")
    size = cluster.sql(name, f"SELECT pg_database_size('{name}')")
    bench.figures["pg_store_bytes"] = int(size)
    cluster.sql(name, "VACUUM ANALYZE")  # as autovacuum would leave it: the visibility map, statistics

    out = os.path.join(bench.work, "out")
    os.makedirs(out, exist_ok=True)
    # JSON: COPY's text format, one object a line (its backslashes doubled: text-format escaping).
    for fmt, select, copy_format in (("json", JSON_SELECT, ""), ("csv", CSV_SELECT, " csv header")):
        pg_file = os.path.join(out, f"pg-export.{fmt}")
        if fmt in sqlite_exports:
            sqlite_seconds, sqlite_file = sqlite_exports[fmt]
        else:
            sqlite_file = os.path.join(out, f"export.{fmt}")
            log(f"export {fmt} of {n} entries on SQLite ...")
            sqlite_seconds, _, _ = run(bench.pm(store_db, "export", fmt, "--out", sqlite_file), env=bench.env)
        log(f"export {fmt} of {n} entries on PostgreSQL ...")
        before = load()
        seconds, rss, _ = run(bench.pm(url, "export", fmt, "--out", pg_file), env=bench.env)
        psql_file = os.path.join(out, f"psql.{fmt}")
        cmd, _ = cluster.psql(name, "-c", f"\\copy ({' '.join(select.split())}) to stdout{copy_format}")
        with open(psql_file, "wb") as f:
            ref, _, _ = run(cmd, stdout=f)
        bench.figures[f"pg_export_{fmt}_load"] = {"before": before, "after": load()}
        bench.record(f"pg_export_{fmt}_s", f"PostgreSQL: export {fmt}, {n:,} entries", seconds, "s", sqlite_seconds,
                     "SQLite export", seconds / sqlite_seconds, "≤ 2× SQLite", seconds / sqlite_seconds <= 2)
        tool = "psql \\copy … csv" if fmt == "csv" else "psql \\copy row_to_json"
        target = "≤ 1.5× psql \\copy" if fmt == "csv" else None
        bench.record(f"pg_export_{fmt}_vs_psql", f"PostgreSQL: export {fmt} vs psql, {n:,} entries", seconds, "s", ref, tool,
                     seconds / ref, target, None if target is None else seconds / ref <= 1.5)
        bench.record(f"pg_export_{fmt}_peak_rss", f"PostgreSQL: peak RSS, export {fmt} of {n:,} entries", rss, "MB",
                     target="< 100 MB", holds=rss < 100)
        if os.path.exists(sqlite_file):
            same = same_export(sqlite_file, pg_file)
            bench.figures[f"pg_export_{fmt}_identical"] = same
            log(f"  export {fmt}: PostgreSQL's file {'is' if same else 'is NOT'} byte-identical to SQLite's (generated_at aside)")
        for f in (pg_file, psql_file):
            os.remove(f)
