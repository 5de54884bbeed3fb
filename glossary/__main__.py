"""``python -m glossary`` is the ``glossary`` command."""

from glossary.cli import main

main()
