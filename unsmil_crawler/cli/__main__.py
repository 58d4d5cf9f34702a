"""``python -m unsmil_crawler.cli``: the same as the ``unsmil-crawler`` command."""

import sys

from unsmil_crawler.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
