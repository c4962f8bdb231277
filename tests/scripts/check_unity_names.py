#!/usr/bin/env python3
"""The test binaries and, with IDM_UNITY_BUILD (the README commands), the idm libraries are unity
builds: batches of 8 sources compile as one translation unit, and which files share a batch
changes whenever a file is added. Two files of one binary or library that define the same name at
namespace scope in the same namespace (anonymous namespaces included) then fail to compile once
they land in one batch, or worse, an overload from the other file silently wins (a const char*
argument prefers a bool parameter to a std::string one). This check finds such pairs in advance:
it lists top-level functions, constants and classes per (binary or library, namespace, name) and
fails when two files define one, overloads included. Shared helpers belong in a header; a helper
private to one file gets a name of its own."""
import collections
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
REPO = os.path.normpath(os.path.join(ROOT, ".."))
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
    groups = [os.path.join(ROOT, binary) for binary in ("unit", "store", "integration")]
    libraries = glob.glob(os.path.join(REPO, "idm", "*", "CMakeLists.txt"))
    groups += sorted(os.path.dirname(p) for p in libraries)
    for group in groups:
        seen = collections.defaultdict(set)
        for path in sorted(glob.glob(os.path.join(group, "**", "*.cc"), recursive=True)):
            for key in set(definitions(path)):
                seen[key].add(os.path.relpath(path, REPO))
        for (ns, name), files in sorted(seen.items(), key=lambda kv: (str(kv[0]), kv[1])):
            if len(files) > 1:
                clashes.append(f"{os.path.relpath(group, REPO)}: {ns}::{name} is defined in "
                               f"{', '.join(sorted(files))}")
    for c in clashes:
        print(c)
    if clashes:
        print("move the shared definition into a header, or rename one (docs/testing.md)")
        return 1
    print("no file repeats a namespace-scope name of another file of its binary or library")
    return 0


if __name__ == "__main__":
    sys.exit(main())
