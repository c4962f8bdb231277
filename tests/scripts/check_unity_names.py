#!/usr/bin/env python3
"""The test binaries are unity builds (tests/CMakeLists.txt): batches of 8 sources compile as one
translation unit, and which files share a batch changes whenever a file is added. Two test files
of one binary that define the same name at namespace scope in the same namespace (anonymous
namespaces included) then fail to compile only once they land in one batch. This check finds
such pairs in advance: it lists top-level functions, constants and classes per (binary,
namespace, name) and fails when two files define one. Shared helpers belong in a header."""
import collections
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SKIP_START = (" ", "\t", "#", "/", "}", "using", "return", "TEST", "INSTANTIATE", "namespace",
              "class", "struct", "template", "static_assert", "*")
FUNC_OR_CONST = re.compile(
    r"(?:constexpr |inline |static |const )*[\w:<>,*& ]+?[ *&](\w+)(?:\[\])?\s*(?:\(|=)")
CLASS = re.compile(r"(?:class|struct) (\w+)\b")


def definitions(path):
    ns = None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"namespace ([\w:]+) \{", line)
        if m:
            ns = m.group(1)
            continue
        m = CLASS.match(line)
        if m and not line.rstrip().endswith(";"):
            yield ns, m.group(1)
            continue
        if line.startswith(SKIP_START):
            continue
        m = FUNC_OR_CONST.match(line)
        if m:
            yield ns, m.group(1)


def main():
    clashes = []
    for binary in ("unit", "store", "integration"):
        seen = collections.defaultdict(set)
        for path in sorted(glob.glob(os.path.join(ROOT, binary, "**", "*.cc"), recursive=True)):
            for key in set(definitions(path)):
                seen[key].add(os.path.relpath(path, ROOT))
        for (ns, name), files in sorted(seen.items()):
            if len(files) > 1:
                clashes.append(f"tests/{binary}: {ns}::{name} is defined in {', '.join(sorted(files))}")
    for c in clashes:
        print(c)
    if clashes:
        print("move the shared definition into a header, or rename one (docs/testing.md)")
        return 1
    print("no test file repeats another's namespace-scope name")
    return 0


if __name__ == "__main__":
    sys.exit(main())
