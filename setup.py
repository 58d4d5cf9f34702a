"""Only for ``scrapyd-deploy``: it builds the egg with ``python setup.py bdist_egg`` and, when
this file is missing, writes its own setup.py, whose metadata pyproject.toml then overrides
(dropping the ``scrapy`` entry point scrapyd needs). Everything is declared in pyproject.toml.
"""

from setuptools import setup

setup()
