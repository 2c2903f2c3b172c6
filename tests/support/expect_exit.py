#!/usr/bin/env python3
"""Runs a command and passes only when it exits with exactly the code given.

usage: expect_exit.py CODE COMMAND [ARG...]   (stderr must not be empty for a non-zero CODE)
"""
import subprocess
import sys


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    want = int(sys.argv[1])
    run = subprocess.run(sys.argv[2:], capture_output=True, text=True, check=False)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    if run.returncode != want:
        print(f"expect_exit: {sys.argv[2:]} exited {run.returncode}, expected {want}", file=sys.stderr)
        return 1
    if want != 0 and not run.stderr.strip():
        print(f"expect_exit: {sys.argv[2:]} exited {want} but printed nothing on stderr", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
