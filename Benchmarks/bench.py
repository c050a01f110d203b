#!/usr/bin/env python3
"""Drives the pmcms benchmark (run it through Benchmarks/run.sh, which builds the binaries).

Every figure is measured in this run, and every ratio compares pmcms with a reference tool run
on the same files or the same store file in this run. Wall-clock times include process start,
as a user at the terminal sees them, for pmcms and the references alike.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

import postgres_bench
import serve_bench

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
RESULTS = os.path.join(HERE, "results.json")


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(cmd, *, stdout=subprocess.DEVNULL, env=None, check=True, input=None):
    """Runs `cmd`, returns (seconds, peak RSS in MB or None, completed process)."""
    timed = ["/usr/bin/time", "-v"] + cmd
    start = time.perf_counter()
    proc = subprocess.run(timed, stdout=stdout, stderr=subprocess.PIPE, env=env, input=input)
    seconds = time.perf_counter() - start
    err = proc.stderr.decode("utf-8", "replace")
    if check and proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    rss = int(match.group(1)) / 1024 if match else None
    return seconds, rss, proc


def files_of(folder):
    out = []
    for root, _, names in os.walk(folder):
        out += [os.path.join(root, n) for n in names if n.endswith(".html")]
    return sorted(out)


class Bench:
    def __init__(self, args):
        self.bin = args.bin
        self.pmcms = os.path.join(args.bin, "pmcms")
        self.quick = args.quick
        self.small, self.large, self.store_size = (200, 1000, 2000) if args.quick else (1000, 10000, 100000)
        self.rows = []  # (what, pmcms figure, reference figure, ratio, target, holds)
        self.figures = {}
        self.env = dict(os.environ, PMCMS_AUTHOR="bench", NO_COLOR="1")
        self.work = WORK
        # Figures the PostgreSQL rows compare with, measured earlier in the same run.
        self.sqlite_import_seconds = None
        self.sqlite_export = {}

    def pm(self, db, *args):
        return [self.pmcms, "--db", db, *args]

    def record(self, key, what, value, unit, reference=None, ref_name=None, ratio=None, target=None, holds=None):
        self.figures[key] = {"what": what, "value": round(value, 4), "unit": unit,
                             "reference": None if reference is None else round(reference, 4),
                             "reference_tool": ref_name,
                             "ratio": None if ratio is None else round(ratio, 3),
                             "target": target, "holds": holds}
        ref_text = "" if reference is None else f"{reference:,.2f} {unit} ({ref_name})"
        ratio_text = "" if ratio is None else f"{ratio:.2f}"
        mark = "" if holds is None else ("holds" if holds else "MISSED")
        self.rows.append((what, f"{value:,.2f} {unit}", ref_text, ratio_text, target or "", mark))
        log(f"  {what}: {value:,.2f} {unit}" + (f" | {ref_name}: {reference:,.2f} | ratio {ratio:.2f}" if reference is not None else "")
            + (f" | target {target}: {mark}" if target else ""))

    # -- workload ---------------------------------------------------------------------------

    def generate(self):
        os.makedirs(WORK, exist_ok=True)
        for n in (self.small, self.large):
            folder = os.path.join(WORK, f"pages-{n}")
            if not os.path.isdir(folder) or len(files_of(folder)) != n:
                shutil.rmtree(folder, ignore_errors=True)
                log(f"generating {n} pages ...")
                subprocess.run([sys.executable, os.path.join(HERE, "generate_pages.py"), str(n), folder], check=True)
        sizes = [os.path.getsize(f) for f in files_of(os.path.join(WORK, f"pages-{self.large}"))]
        self.figures["workload"] = {"pages": [self.small, self.large], "mean_page_bytes": round(statistics.mean(sizes)),
                                    "store_entries": self.store_size}

    def build_store(self, n):
        db = os.path.join(WORK, f"store-{n}.sqlite")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        log(f"building a store of {n} entries (5 revisions per question) ...")
        seconds, _, _ = run([os.path.join(self.bin, "pmcms-bench-store"), db, str(n), "5"], stdout=None)
        for key, value in (("site.title", "PM Training FAQ"), ("site.url", "https://www.example.org")):
            run(self.pm(db, "config", key, value), env=self.env)
        return db, seconds

    # -- import -----------------------------------------------------------------------------

    def import_pages(self, n):
        folder = os.path.join(WORK, f"pages-{n}")
        files = files_of(folder)
        db = os.path.join(WORK, f"import-{n}.sqlite")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        log(f"import of {n} pages ...")
        first, first_rss, _ = run(self.pm(db, "import", folder, "--base-url", "https://www.example.org/faq"), env=self.env)
        again, again_rss, _ = run(self.pm(db, "import", folder, "--base-url", "https://www.example.org/faq"), env=self.env)
        # The floor: libxml2's HTML parser over the same files, parse only, on both cores.
        lint = ["xargs", "-0", "-n", "250", "-P", str(os.cpu_count() or 2), "xmllint", "--html", "--noout", "--nowarning"]
        start = time.perf_counter()
        subprocess.run(lint, input=b"\0".join(f.encode() for f in files), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        parse = time.perf_counter() - start
        return files, first, first_rss, again, again_rss, parse

    def trafilatura(self, files):
        try:
            import trafilatura  # noqa: F401
        except Exception as error:  # not installed, or its lxml lacks lxml_html_clean
            log(f"trafilatura unavailable: {error}")
            return None
        log(f"trafilatura over {len(files)} pages ...")
        listing = os.path.join(WORK, "trafilatura-files.txt")
        with open(listing, "w") as f:
            f.write("\n".join(files))
        seconds, _, proc = run([sys.executable, os.path.join(HERE, "trafilatura_extract.py"), listing],
                               stdout=subprocess.PIPE)
        return seconds, proc.stdout.decode().strip()

    def bench_import(self):
        small_files, s_first, s_rss, s_again, _, s_parse = self.import_pages(self.small)
        large_files, l_first, l_rss, l_again, l_again_rss, l_parse = self.import_pages(self.large)
        self.sqlite_import_seconds = l_first
        for n, first, parse in ((self.small, s_first, s_parse), (self.large, l_first, l_parse)):
            rate, floor = n / first, n / parse
            self.record(f"import_{n}_pages_per_s", f"import {n:,} pages", rate, "pages/s", floor,
                        "xmllint --html parse only", rate / floor, "≥ 0.5 of parse-only", rate / floor >= 0.5)
        traf = self.trafilatura(small_files)
        if traf:
            seconds, extracted = traf
            rate, ref = self.small / s_first, self.small / seconds
            self.record("import_vs_trafilatura", f"import {self.small:,} pages vs trafilatura ({extracted})", rate, "pages/s",
                        ref, "trafilatura, 2 processes", rate / ref, "≥ 30×", rate / ref >= 30)
        else:
            self.figures["import_vs_trafilatura"] = {"what": "trafilatura", "value": None, "note": "not installed"}
            self.rows.append(("import vs trafilatura", "", "trafilatura not installed", "", "≥ 30×", "not measured"))
        self.record("reimport_speedup", f"re-import of {self.large:,} unchanged pages", l_again, "s", l_first,
                    "first import", l_first / l_again, "≥ 10× faster", l_first / l_again >= 10)
        self.record("import_peak_rss", f"peak RSS, import of {self.large:,} pages", l_rss, "MB",
                    s_rss, f"import of {self.small:,}", l_rss / s_rss, "< 100 MB", l_rss < 100)

    # -- export -----------------------------------------------------------------------------

    def bench_export(self, big, small):
        n, m = self.store_size, 1000
        out = os.path.join(WORK, "out")
        os.makedirs(out, exist_ok=True)
        # The columns of the entry object that live in the store as they are; body_html and the
        # resolved links have no SQL equivalent, so the sqlite3 CLI is the floor, not a twin.
        json_sql = """SELECT e.id, e.slug, e.kind, r.status, r.number AS revision, e.live AS live_revision, r.title, r.body,
            r.summary, r.image_url, r.source_url, r.edited_at, e.created_at, e.updated_at, r.published_at, r.related, r.articles
            FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.live WHERE e.live IS NOT NULL ORDER BY e.id;"""
        csv_sql = """SELECT e.id, e.slug, e.kind, r.status, r.title, r.body, r.summary, r.image_url, r.source_url, r.edited_at,
            e.created_at, e.updated_at, r.published_at, r.number AS revision
            FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.live WHERE e.live IS NOT NULL ORDER BY e.id;"""
        for fmt, sql, flag in (("json", json_sql, "-json"), ("csv", csv_sql, "-csv")):
            log(f"export {fmt} of {n} entries ...")
            target = os.path.join(out, f"export.{fmt}")
            seconds, rss, _ = run(self.pm(big, "export", fmt, "--out", target), env=self.env)
            self.sqlite_export[fmt] = (seconds, target)
            with open(os.path.join(out, f"sqlite3.{fmt}"), "wb") as f:
                ref, _, _ = run(["sqlite3", "-readonly", flag, big, sql], stdout=f)
            self.record(f"export_{fmt}_s", f"export {fmt}, {n:,} entries", seconds, "s", ref, f"sqlite3 {flag}",
                        seconds / ref, "≤ 1.5× sqlite3", seconds / ref <= 1.5)
            self.record(f"export_{fmt}_peak_rss", f"peak RSS, export {fmt} of {n:,} entries", rss, "MB",
                        target="< 100 MB", holds=rss < 100)
        rss_times = {}
        for label, db in ((m, small), (n, big)):
            times = [run(self.pm(db, "export", "rss", "--out", os.path.join(out, f"feed-{label}.xml")), env=self.env)[0]
                     for _ in range(5)]
            rss_times[label] = statistics.median(times)
        self.record("export_rss_s", f"export rss, {n:,} entries (median of 5)", rss_times[n], "s", rss_times[m],
                    f"rss at {m:,} entries", rss_times[n] / rss_times[m], "≤ 1.2× the 1,000 store",
                    rss_times[n] / rss_times[m] <= 1.2)

    # -- single-entry commands ----------------------------------------------------------------

    def bench_lookups(self, db):
        n = self.store_size
        samples = 15
        # Entries spread over the whole store, chosen the same way every run.
        rows = subprocess.run(["sqlite3", "-readonly", db,
                               f"SELECT id, slug FROM entry WHERE kind = 'question' AND id % {max(1, n // samples)} = 7 LIMIT {samples};"],
                              capture_output=True, text=True, check=True).stdout.split()
        picks = [r.split("|", 1) for r in rows]
        sql_show = ("SELECT e.id, e.slug, e.kind, e.head, e.live, e.created_at, e.updated_at, r.* FROM entry e "
                    "JOIN revision r ON r.entry_id = e.id AND r.number = e.head WHERE e.slug = '{slug}';")
        sql_history = ("SELECT number, created_at, author, origin, status, lines_added, lines_removed, message FROM revision "
                       "WHERE entry_id = (SELECT id FROM entry WHERE slug = '{slug}') ORDER BY number;")
        sql_search = ("SELECT e.id, e.slug, e.kind, r.status, r.title, snippet(search, -1, '[', ']', '…', 14), "
                      "bm25(search, 10.0, 1.0, 4.0) AS rank FROM search JOIN entry e ON e.id = search.rowid "
                      "JOIN revision r ON r.entry_id = e.id AND r.number = e.head WHERE search MATCH '{query}' ORDER BY rank LIMIT 20;")
        # The same change as `edit --set title=…`, by hand: one immediate transaction that
        # appends a copy of the head revision with the new title and moves the head.
        sql_edit = ("BEGIN IMMEDIATE; INSERT INTO revision (entry_id, number, parent, origin, author, created_at, message, status, "
                    "title, body, summary, image_url, source_url, edited_at, published_at, related, articles, hash) "
                    "SELECT r.entry_id, r.number + 1, r.number, 'edit', 'bench', strftime('%Y-%m-%dT%H:%M:%SZ','now'), NULL, 'draft', "
                    "'{title}', r.body, r.summary, r.image_url, r.source_url, date('now'), r.published_at, r.related, r.articles, 'x' "
                    "FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head WHERE e.slug = '{slug}'; "
                    "UPDATE entry SET head = head + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE slug = '{slug}'; "
                    "UPDATE search SET title = '{title}' WHERE rowid = (SELECT id FROM entry WHERE slug = '{slug}'); COMMIT;")
        queries = ["stakeholder", "risk budget", "portfolio governance", "sprint backlog", "vendor contract"]

        def timed(cmds):
            return statistics.median([run(c, env=self.env)[0] for c in cmds])

        results = {}
        results["show"] = (timed([self.pm(db, "show", s) for _, s in picks]),
                           timed([["sqlite3", "-readonly", db, sql_show.format(slug=s)] for _, s in picks]))
        results["history"] = (timed([self.pm(db, "history", s) for _, s in picks]),
                              timed([["sqlite3", "-readonly", db, sql_history.format(slug=s)] for _, s in picks]))
        results["search"] = (timed([self.pm(db, "search", q) for q in queries]),
                             timed([["sqlite3", "-readonly", db, sql_search.format(query=q)] for q in queries]))
        # Edits last: the sqlite3 ones write revisions outside the store's rules (no hash, no
        # links), so nothing is measured on this store after them.
        edit = timed([self.pm(db, "edit", s, "--set", f"title=Edited question {i}", "-m", "bench") for i, (_, s) in enumerate(picks)])
        edit_ref = timed([["sqlite3", db, sql_edit.format(slug=s, title=f"Edited by sqlite3 {i}")] for i, (_, s) in enumerate(picks)])
        results["edit --set"] = (edit, edit_ref)
        # What no lookup can beat: starting the process at all. pmcms loads the Swift runtime and
        # Foundation; sqlite3 is one small C program.
        results["process start (--version)"] = (timed([[self.pmcms, "--version"]] * samples),
                                                 timed([["sqlite3", "--version"]] * samples))
        for name, (ours, ref) in results.items():
            key = "lookup_" + name.split()[0]
            target = "≤ 2× sqlite3" if name in ("show", "history", "edit --set") else None
            what = f"{name} at {n:,} entries (median)" if not name.startswith("process") else f"{name}, no store (median)"
            self.record(key, what, ours * 1000, "ms", ref * 1000, "sqlite3 CLI", ours / ref,
                        target, None if target is None else ours / ref <= 2)

    # -- report -----------------------------------------------------------------------------

    def machine(self):
        cpu = "unknown"
        try:
            with open("/proc/cpuinfo") as f:
                cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
        except Exception:
            pass
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
        sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[:1]
        xmllint = subprocess.run(["xmllint", "--version"], capture_output=True, text=True).stderr.splitlines()[:1]
        return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem, 1), "os": platform.platform(),
                "swift": swift[0] if swift else None, "sqlite3": sqlite[0] if sqlite else None,
                "xmllint": xmllint[0] if xmllint else None}

    def table(self):
        lines = ["| measure | pmcms | reference | ratio | target | |", "|---|---:|---:|---:|---|---|"]
        lines += [f"| {a} | {b} | {c} | {d} | {e} | {f} |" for a, b, c, d, e, f in self.rows]
        return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--serve-only", action="store_true",
                        help="only the wrk comparison of pmcms serve with nginx, on the existing 100,000-entry store "
                             "(built first if missing); its figures replace the serve figures in results.json")
    parser.add_argument("--postgres-only", action="store_true",
                        help="only PostgreSQL beside SQLite (import of the large page set, export json/csv of the "
                             "existing store, built first if missing); its figures replace the PostgreSQL figures in results.json")
    parser.add_argument("--postgres", metavar="URL",
                        help="a running PostgreSQL server (postgres://USER@HOST/DB?host=…) to use instead of a throwaway "
                             "cluster; its databases pmcms_bench_* are kept, and the copied store is reused by the next run")
    args = parser.parse_args()
    bench = Bench(args)
    started = time.perf_counter()
    if args.serve_only:
        serve_only(bench, started)
        return
    if args.postgres_only:
        postgres_only(bench, started, args.postgres)
        return
    bench.generate()
    bench.bench_import()
    small_store, _ = bench.build_store(1000)
    big_store, store_seconds = bench.build_store(bench.store_size)
    bench.figures["store_build_s"] = round(store_seconds, 1)
    revisions = int(subprocess.run(["sqlite3", "-readonly", big_store, "SELECT COUNT(*) FROM revision;"],
                                   capture_output=True, text=True, check=True).stdout)
    bench.record("store_build_revisions_per_s", f"building the store: {bench.store_size:,} entries, {revisions:,} revisions",
                 revisions / store_seconds, "revisions/s")
    if args.quick:
        # Proof that the generated store keeps every invariant. At 100,000 entries (8 GB) it
        # takes minutes, so the full run leaves it out; run `pmcms --db Benchmarks/work/store-100000.sqlite verify`.
        seconds, _, _ = run(bench.pm(big_store, "verify"), env=bench.env)
        bench.record("verify_s", f"pmcms verify of the {bench.store_size:,}-entry store", seconds, "s")
    bench.bench_export(big_store, small_store)
    # Before the lookups, whose sqlite3 edits write revisions outside the store's rules.
    postgres_bench.bench_postgres(bench, run, big_store, bench.sqlite_import_seconds, bench.sqlite_export, args.postgres)
    # Before the lookups: their sqlite3 edits write revisions outside the store's rules.
    serve_bench.bench_serve(bench, big_store)
    bench.bench_lookups(big_store)
    report = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "command": "Benchmarks/run.sh" + (" --quick" if args.quick else ""),
              "machine": bench.machine(), "figures": bench.figures,
              "measure_seconds": round(time.perf_counter() - started, 1)}
    if not args.quick:  # a smoke run does not replace the published figures
        with open(RESULTS, "w") as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
            f.write("\n")
    print(bench.table())
    print(f"\n{report['date']} · {report['machine']['cpu']}, {report['machine']['cores']} cores · "
          f"measured in {report['measure_seconds']} s" + ("" if args.quick else f" · written to {RESULTS}"))


def postgres_only(bench, started, url):
    """PostgreSQL beside SQLite alone, on the store a full run left (or a new one), merged into
    results.json beside the full run's other figures."""
    bench.generate()
    db = os.path.join(WORK, f"store-{bench.store_size}.sqlite")
    if not os.path.exists(db):
        db, _ = bench.build_store(bench.store_size)
    postgres_bench.bench_postgres(bench, run, db, url=url)
    print(bench.table())
    if bench.quick:
        return
    with open(RESULTS) as f:
        report = json.load(f)
    # A store reused from an earlier run (--postgres) keeps the figures of the copy that made it.
    reused = "pg_store_copy_s" not in bench.figures
    for key in [k for k in report["figures"] if k.startswith(("pg_", "postgres"))]:
        if not (reused and key.startswith("pg_store_copy")):
            del report["figures"][key]
    report["figures"].update({k: v for k, v in bench.figures.items() if k.startswith(("pg_", "postgres"))
                              and not (reused and k == "pg_store_copy")})
    write_partial(report, "postgres", "PostgreSQL", started)


def write_partial(report, part, label, started):
    """Writes results.json after a partial run (`--PART-only`) merged its figures into `report`:
    when, by which command and in how long that part was measured."""
    report[f"{part}_date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    report[f"{part}_command"] = f"Benchmarks/run.sh --{part}-only"
    report[f"{part}_measure_seconds"] = round(time.perf_counter() - started, 1)
    with open(RESULTS, "w") as f:
        json.dump(report, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"\n{report[f'{part}_date']} · {label} figures measured in {report[f'{part}_measure_seconds']} s · written to {RESULTS}")


def serve_only(bench, started):
    """The serve comparison alone, on the store a full run left (or a new one), merged into
    results.json beside the full run's other figures."""
    db = os.path.join(WORK, f"store-{bench.store_size}.sqlite")
    if not os.path.exists(db):
        os.makedirs(WORK, exist_ok=True)
        db, _ = bench.build_store(bench.store_size)
    serve_bench.bench_serve(bench, db)
    print(bench.table())
    if bench.quick:
        return
    with open(RESULTS) as f:
        report = json.load(f)
    for key in [k for k in report["figures"] if k.startswith("serve")]:
        del report["figures"][key]
    report["figures"].update(bench.figures)
    write_partial(report, "serve", "serve", started)


if __name__ == "__main__":
    main()
