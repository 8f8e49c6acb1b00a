#!/usr/bin/env bash
# Makes the file fixtures of the document tests (issue 21) from text confirmations of our own corpus:
#   e-ticket.pdf           the Air France e-ticket of corpus 01, printed to PDF by headless Chromium (text layer);
#   scanned.pdf            a PDF with only a picture in it, as a scanner makes (no text layer);
#   boarding-pass.png      an IATA BCBP string as the PDF417 code of a printed boarding pass (zxing-cpp's writer);
#   boarding-pass-aztec.jpg  the same string as the Aztec code of a phone boarding pass, in JPEG.
# Needs Debian's chromium and zxing-cpp-tools. The outputs are committed; run again only to change them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=Tests/OnSpotServerTests/Fixtures/documents
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bcbp='M1DESMARAIS/LUC       EAB12C3 YULFRAAC 0834 326J003A0027 100'
ZXingWriter -size 600x200 PDF417 "$bcbp" "$out/boarding-pass.png"
ZXingWriter -size 400x400 Aztec "$bcbp" "$out/boarding-pass-aztec.jpg"
python3 - "$work" <<'PY'
import base64, html, sys
work = sys.argv[1]
text = open("Tests/OnSpotCoreTests/Fixtures/corpus/01-fr-flight-airfrance-eticket.txt", encoding="utf-8").read()
open(f"{work}/eticket.html", "w", encoding="utf-8").write(
    "<!doctype html><meta charset=utf-8><style>body{font:11pt monospace}</style><pre>" + html.escape(text) + "</pre>")
png = base64.b64encode(open("Tests/OnSpotServerTests/Fixtures/documents/boarding-pass.png", "rb").read()).decode()
open(f"{work}/scanned.html", "w").write(f"<!doctype html><img src='data:image/png;base64,{png}'>")
PY
for name in eticket scanned; do
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --user-data-dir="$work/profile" \
    --print-to-pdf="$work/$name.pdf" "file://$work/$name.html" 2>/dev/null
done
cp "$work/eticket.pdf" "$out/e-ticket.pdf"
cp "$work/scanned.pdf" "$out/scanned.pdf"
ls -l "$out"
