#!/usr/bin/env bash
# Generates the CRM-style API client the tests drive (Generated/CRMClient) from the OpenAPI document the server
# serves, with apple/swift-openapi-generator: the proof that the document is a contract clients can be generated from.
# The generated Swift is committed (building the generator in every CI run would cost minutes for nothing); the
# document it was generated from is kept beside it, and ApiCRMClientTests fails when the served document differs, so
# run this script after any change to Sources/OnSpotServer/Views/API/OpenAPIDocument.swift.
# Usage: scripts/generate-crm-client.sh
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.14.3
tool=".build-openapi-generator"
if [ ! -x "$tool/.build/debug/swift-openapi-generator" ] || [ "$(git -C "$tool" describe --tags 2>/dev/null)" != "$version" ]; then
    rm -rf "$tool"
    git clone -q --depth 1 --branch "$version" https://github.com/apple/swift-openapi-generator "$tool"
    (cd "$tool" && swift build --product swift-openapi-generator)
fi
out=Generated/CRMClient
# The served document is the Swift literal's text: its 8-space indentation removed, as the compiler does.
python3 - "$out/openapi.yaml" <<'PY'
import sys, textwrap
source = open("Sources/OnSpotServer/Views/API/OpenAPIDocument.swift").read()
text = source[source.index('#"""') + 4:source.index('"""#')]
open(sys.argv[1], "w").write(textwrap.dedent(text).strip("\n") + "\n")
PY
# Generated beside, then moved in: a failed generation leaves the committed client as it was.
next="$(mktemp -d)"
trap 'rm -rf "$next"' EXIT
if ! "$tool/.build/debug/swift-openapi-generator" generate "$out/openapi.yaml" --config "$out/openapi-generator-config.yaml" \
    --output-directory "$next" >"$next/log" 2>&1; then
    cat "$next/log" >&2
    echo "generate-crm-client.sh: the generator failed; $out is unchanged" >&2
    exit 1
fi
grep -E '^(warning|error)' "$next/log" | grep -v '^warning: Schema "null" is not supported' || true
find "$out" -name '*.swift' -delete
mv "$next"/*.swift "$out"/
echo "generated: $(ls "$out"/*.swift | wc -l) files in $out"
