"""``python -m reader`` runs the same entry point as the ``reader`` command."""

from reader.cli import main

raise SystemExit(main())
