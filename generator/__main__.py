"""`python -m generator` is `gen`."""

from .cli import main

main()
