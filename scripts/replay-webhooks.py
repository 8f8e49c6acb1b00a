#!/usr/bin/env python3
"""Replays recorded Meta webhook payloads against a running OnSpot server, signed as Meta signs them.

Usage: scripts/replay-webhooks.py --url http://127.0.0.1:8080 --secret APP_SECRET FILE_OR_DIR [...]

Each file is one JSON body as Meta posted it; `"object": "page"` goes to /webhooks/messenger, anything else to
/webhooks/whatsapp. The body is sent byte for byte, with X-Hub-Signature-256 = sha256=HMAC-SHA256(app secret, body).
Prints one line per file with the HTTP status; exits 1 if any answer was not 200.
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.request


def files(paths):
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith(".json"):
                    yield os.path.join(path, name)
        else:
            yield path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    failures = 0
    for path in files(args.paths):
        body = open(path, "rb").read()
        try:
            kind = json.loads(body).get("object")
        except ValueError:
            kind = None
        channel = "messenger" if kind == "page" else "whatsapp"
        signature = "sha256=" + hmac.new(args.secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(f"{args.url.rstrip('/')}/webhooks/{channel}", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
        try:
            status = urllib.request.urlopen(request, timeout=10).status
        except urllib.error.HTTPError as error:
            status = error.code
        print(f"{status} {channel} {path}")
        failures += status != 200
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
