#!/usr/bin/env python3
"""Signs in to a running OnSpot server's portal as the demo PLUS agency admin and creates an API key.

Prints the key (osk_...) on standard output; used by scripts/schemathesis.sh. Standard library only.
Usage: schemathesis-apikey.py BASE_URL [EMAIL] [PASSWORD]
"""
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

base = sys.argv[1].rstrip("/")
email = sys.argv[2] if len(sys.argv) > 2 else "admin@horizon-demo.example"
password = sys.argv[3] if len(sys.argv) > 3 else "onspot-demo-2026"

jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(path):
    with opener.open(base + path, timeout=30) as response:
        return response.read().decode("utf-8", "replace")


def post(path, fields):
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    with opener.open(request, timeout=30) as response:
        return response.read().decode("utf-8", "replace")


def csrf(page):
    match = re.search(r'name="_csrf" value="([^"]+)"', page)
    if not match:
        sys.exit("no _csrf field on the page")
    return match.group(1)


post("/login", {"_csrf": csrf(get("/login")), "next": "/", "email": email, "password": password})
page = post("/api-keys", {"_csrf": csrf(get("/api-keys")), "name": "schemathesis"})
match = re.search(r"osk_[A-Za-z0-9_\-]+", page)
if not match:
    sys.exit("no API key on the answer page (sign-in failed?)")
print(match.group(0))
