"""Validates one feed file with the W3C Feed Validator, offline, as if it were served at its URL.

Usage: python3 -B run.py FEED_FILE FEED_URL

FEED_URL is where the feed says it lives (its self link): the validator compares the two.
Prints one line per error or warning (the validator's "AA" level, as the online service
shows them): "error" or "warning", the message class and the validator's own text, tab-separated. Exit status 0 when the
feed was read (the lines say whether it is clean), 3 when html5lib is missing, 4 when the
validator could not run.

No network: sockets are refused before the validator is imported, so nothing it reads can
make it fetch (the tests also run this under `unshare -rn` where that works).
"""
import os
import socket
import sys


def refuse(*args, **kwargs):
    raise OSError("network access is disabled while validating feeds")


socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

try:
    import html5lib  # noqa: F401  (the validator needs it for HTML in feeds)
except ImportError:
    sys.stderr.write("the feed validator needs html5lib: pip install html5lib (into the python3 on PATH)\n")
    sys.exit(3)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))
import feedvalidator  # noqa: E402
from feedvalidator import compatibility  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402


def main():
    path, url = sys.argv[1], sys.argv[2]
    try:
        with open(path, "rb") as feed:
            events = feedvalidator.validateStream(feed, firstOccurrenceOnly=1, base=url)["loggedEvents"]
    except feedvalidator.logging.ValidationFailure as failure:
        events = [failure.event]
    except Exception as error:  # the validator itself failed: not a verdict on the feed
        sys.stderr.write("the feed validator failed: %r\n" % (error,))
        sys.exit(4)
    events = compatibility.AA(events)
    for event, text in zip(events, Formatter(events)):
        level = "error" if isinstance(event, feedvalidator.logging.Error) else "warning"
        print("%s\t%s\t%s" % (level, type(event).__name__, text))


main()
