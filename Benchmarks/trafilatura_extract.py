#!/usr/bin/env python3
"""The trafilatura reference: extracts the main text and metadata of every file listed in
LISTING, on as many processes as there are cores (pmcms parses on every core too), and prints
how many pages gave text."""
import multiprocessing
import os
import sys

import trafilatura


def extract(path):
    with open(path, "rb") as f:
        html = f.read()
    result = trafilatura.extract(html, output_format="json", with_metadata=True, include_links=True)
    return result is not None


def main():
    with open(sys.argv[1]) as f:
        files = [line for line in f.read().splitlines() if line]
    with multiprocessing.Pool(os.cpu_count() or 2) as pool:
        ok = sum(pool.map(extract, files, chunksize=16))
    print(f"{ok}/{len(files)} extracted")


if __name__ == "__main__":
    main()
