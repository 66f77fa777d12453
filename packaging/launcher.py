"""Entry point of the frozen program."""

import multiprocessing

from reader.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # worker processes of the frozen program start here
    raise SystemExit(main())
