#!/usr/bin/env python3
"""Checks the layering rules of docs/ARCHITECTURE.md on the source tree; exits 1 naming each breach.

The CMake libraries (one per layer, linked only downward) stop a layer from linking code above it;
this check covers what linking cannot see: headers, the standard streams, the clock, getenv, curl.
"""
import pathlib
import re
import sys

LAYERS = ["util", "model", "data", "render", "sources"]
# What each layer may include from gpucost/: its own layer and those below it.
ALLOWED = {
    "util": {"util"},
    "model": {"util", "model"},
    "data": {"util", "model", "data"},
    "render": {"util", "model", "data", "render"},
    "sources": {"util", "model", "data", "sources"},
}
PURE = {"model", "render"}
PURE_FORBIDDEN = [
    (re.compile(r"#include\s*<(fstream|iostream)>"), "includes <{0}>"),
    (re.compile(r"#include\s*<gpucost/util/clock\.hpp>"), "includes the clock (util/clock.hpp)"),
    (re.compile(r"\b(system_clock|steady_clock|high_resolution_clock)\b"), "reads a clock ({0})"),
    (re.compile(r"\b(getenv|secure_getenv)\b"), "reads the environment ({0})"),
]
INCLUDE = re.compile(r'#include\s*[<"]gpucost/([a-z_]+)/([^>"]+)[>"]')
CURL = re.compile(r"#include\s*<curl/")


def layer_of(path: pathlib.Path, root: pathlib.Path) -> str:
    for base in (root / "lib" / "src", root / "lib" / "include" / "gpucost"):
        try:
            return path.relative_to(base).parts[0]
        except ValueError:
            continue
    return ""


def check(root: pathlib.Path) -> list[str]:
    problems = []
    files = sorted((root / "lib").rglob("*.[ch]pp"))
    if not files:
        return [f"{root}/lib: no sources found"]
    for path in files:
        layer = layer_of(path, root)
        rel = path.relative_to(root)
        if layer not in LAYERS:
            problems.append(f"{rel}: not inside a layer folder ({', '.join(LAYERS)})")
            continue
        in_http = "sources/http" in rel.as_posix()
        in_provider = "sources/providers" in rel.as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0]
            match = INCLUDE.search(code)
            if match:
                target = match.group(1)
                if target not in ALLOWED[layer]:
                    problems.append(f"{rel}:{number}: {layer}/ includes {target}/ (a layer above it)")
                if in_provider and target == "sources" and match.group(2).startswith("providers/"):
                    name = pathlib.Path(match.group(2)).stem
                    own = path.stem
                    shared = {"provider", "adapter_util", own}
                    if name not in shared and path.stem != "registry":
                        problems.append(f"{rel}:{number}: provider {own} includes provider {name}")
            if CURL.search(code) and not in_http:
                problems.append(f"{rel}:{number}: includes curl outside sources/http/")
            if layer in PURE:
                for pattern, message in PURE_FORBIDDEN:
                    found = pattern.search(code)
                    if found:
                        problems.append(f"{rel}:{number}: {layer}/ is pure but " + message.format(found.group(1)))
    # The two trees mirror each other: every source folder has a header folder of the same name.
    src_dirs = {p.relative_to(root / "lib" / "src") for p in (root / "lib" / "src").rglob("*") if p.is_dir()}
    inc_dirs = {p.relative_to(root / "lib" / "include" / "gpucost")
                for p in (root / "lib" / "include" / "gpucost").rglob("*") if p.is_dir()}
    for missing in sorted(src_dirs - inc_dirs):
        problems.append(f"lib/src/{missing}: no matching lib/include/gpucost/{missing}")
    for missing in sorted(inc_dirs - src_dirs):
        problems.append(f"lib/include/gpucost/{missing}: no matching lib/src/{missing}")
    return problems


def self_test() -> int:
    """Builds a small tree with one breach of each rule and checks that every one is reported."""
    import tempfile
    breaches = {
        "lib/src/model/a.cpp": "#include <iostream>\n",
        "lib/src/render/b.cpp": "auto t = std::chrono::system_clock::now();\n",
        "lib/src/model/c.cpp": "#include <gpucost/sources/cache.hpp>\n",
        "lib/src/data/d.cpp": "#include <curl/curl.h>\n",
        "lib/src/sources/providers/aws.cpp": "#include <gpucost/sources/providers/gcp.hpp>\n",
        "lib/src/render/e.cpp": "const char* k = getenv(\"HOME\");\n",
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        for name, text in breaches.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            header_dir = root / "lib" / "include" / "gpucost" / path.parent.relative_to(root / "lib" / "src")
            header_dir.mkdir(parents=True, exist_ok=True)
        (root / "lib" / "src" / "util").mkdir()
        problems = check(root)
    missing = [name for name in breaches if not any(p.startswith(name) for p in problems)]
    missing += [] if any("no matching lib/include/gpucost/util" in p for p in problems) else ["mirror"]
    if missing:
        print(f"check_layers --self-test: not reported: {missing}", file=sys.stderr)
        return 1
    print(f"check_layers --self-test: all {len(breaches) + 1} breaches reported")
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--self-test"]:
        return self_test()
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    problems = check(root)
    for problem in problems:
        print(f"check_layers: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"check_layers: {root}/lib follows the layering rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
