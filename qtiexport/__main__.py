"""`python -m qtiexport`: runs the command-line interface."""

from .cli import run

run()
