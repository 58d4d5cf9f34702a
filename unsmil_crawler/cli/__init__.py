"""The ``unsmil-crawler`` command: ``main`` parses arguments, one module per sub-command."""
