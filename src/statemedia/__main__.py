"""``python -m statemedia`` is the ``statemedia`` command."""

from .cli import main

main()
