"""``python -m juvmap``: same as the ``juvmap`` command."""

from juvmap.cli import main

raise SystemExit(main())
