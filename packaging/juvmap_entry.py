"""Entry script of the PyInstaller bundle: the same as the ``juvmap`` console command."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not start a second app
    from juvmap.cli import main

    sys.exit(main())
