"""`python -m qtiexport`: runs the command-line interface."""

from .cli import main

main()
