"""Entry script of ``juvmap-cli.exe``: the console twin of the windowed ``juvmap.exe``.

A windowed Windows program gets no console, so ``juvmap sheets ...`` typed in ``cmd`` would
print nothing. ``juvmap-cli.exe`` is a console program that runs ``juvmap.exe`` beside it with
the same arguments, hands it its own standard input/output/error (so the output reaches the
console or the file it is redirected to) and returns its exit code. It is built from this
script alone (the standard library), so it does not repeat ``juvmap.exe``'s 21 MB archive of
Python modules.
"""

import os
import subprocess
import sys


def main() -> int:
    """Run ``juvmap.exe`` with this process's arguments and standard streams."""
    exe = os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "juvmap.exe")
    streams = [s if s is not None else subprocess.DEVNULL for s in (sys.stdin, sys.stdout, sys.stderr)]
    try:
        return subprocess.call([exe, *sys.argv[1:]], stdin=streams[0], stdout=streams[1], stderr=streams[2])
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # juvmap.exe missing or blocked: say so, no traceback
        print(f"juvmap-cli: {exe}: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
