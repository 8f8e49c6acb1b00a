#!/usr/bin/env python3
"""Writes Sources/OnSpotServer/Models/ModelProperties.swift (each model's property wrappers, listed so that FluentKit
does not find them by reflection on every row) and the list of models ModelPropertiesTests checks. Run it after adding
or removing a field, then `swift format -i` both files; the test fails until the lists match the classes."""
import glob
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WRAPPER = r'@(?:ID|Field|OptionalField|Parent|OptionalParent|Children)\([^)]*\)\s+(?:public\s+)?var\s+(\w+)'

models = []
for path in sorted(glob.glob(os.path.join(ROOT, "Sources/OnSpotServer/Models/*.swift"))):
    source = open(path).read()
    for match in re.finditer(r'^(?:public )?final class (\w+): Model[^{]*\{', source, re.M):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(source[i], 0)
            i += 1
        models.append((match.group(1), re.findall(WRAPPER, source[match.end():i - 1])))

lines = ["import FluentKit", "",
         "// Every model lists its property wrappers itself. FluentKit finds them by reflection otherwise, on every row read or",
         "// written, which was most of a page's time at a realistic size (BENCHMARKS.md, issue 20). ModelPropertiesTests",
         "// compares each list with the reflected one, so a field added to a model and not here fails the tests.",
         "// Written by scripts/generate-model-properties.py.", ""]
for name, wrappers in models:
    lines += [f"extension {name} {{", f"    var properties: [any AnyProperty] {{ [{', '.join('$' + w for w in wrappers)}] }}", "}", ""]
with open(os.path.join(ROOT, "Sources/OnSpotServer/Models/ModelProperties.swift"), "w") as out:
    out.write("\n".join(lines).rstrip() + "\n")

test = os.path.join(ROOT, "Tests/OnSpotServerTests/ModelPropertiesTests.swift")
text = open(test).read()
listed = ", ".join(f"{name}.self" for name, _ in models)
text = re.sub(r'(let models: \[any Model\.Type\] = \[)[^\]]*(\])', lambda m: m.group(1) + "\n" + listed + "\n" + m.group(2), text, flags=re.S)
with open(test, "w") as out:
    out.write(text)
print(f"{len(models)} models")
