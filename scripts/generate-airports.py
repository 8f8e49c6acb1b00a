#!/usr/bin/env python3
"""Writes Sources/OnSpotCore/Resources/airports.tsv from the `airportsdata` package (MIT licence, mborsetti/airportsdata).

Columns: IATA, ICAO, name, city, ISO country, latitude, longitude, IANA time zone. Run again to refresh the data.
"""
import importlib.metadata
import os
import subprocess
import sys

try:
    import airportsdata
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "airportsdata"])
    import airportsdata

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "Sources", "OnSpotCore", "Resources", "airports.tsv")
airports = airportsdata.load("IATA")
with open(out, "w", encoding="utf-8") as f:
    f.write(f"# airportsdata {importlib.metadata.version('airportsdata')} (MIT licence), IATA-coded airports\n")
    for code in sorted(airports):
        a = airports[code]
        fields = [code, a.get("icao", ""), a["name"], a.get("city", ""), a["country"], f"{float(a['lat']):.5f}",
                  f"{float(a['lon']):.5f}", a["tz"]]
        f.write("\t".join(str(x).replace("\t", " ").replace("\n", " ") for x in fields) + "\n")
print(f"{len(airports)} airports written to {out}")
