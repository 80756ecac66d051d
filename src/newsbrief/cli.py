"""The command line: parse arguments, call the library, print. No logic lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import NewsbriefError
from .pipeline import brief_from_inputs
from .render import FORMATS, render
from .settings import Config
from .sources import Problem


def _print_problem(problem: Problem) -> None:
    click.echo(str(problem), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsbrief")
def main() -> None:
    """newsbrief: turn many outlets' reports of a story into a cited situation brief."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the brief to this file instead of standard output.")
@click.option("--allow-private", is_flag=True, default=None,
              help="Fetch from private, loopback and link-local addresses (refused by default).")
@click.option("--max-words", type=int, default=None, help="Target length of lede and sections in words.")
def brief(inputs: tuple[str, ...], fmt: str, output: Path | None, allow_private: bool | None,
          max_words: int | None) -> None:
    """Write a brief from INPUTS: HTML, text, JSONL, RSS/Atom or OPML files, folders of them,
    or http(s) URLs of articles and feeds."""
    config = Config.load(allow_private=allow_private, max_words=max_words)
    try:
        result, _ = brief_from_inputs(inputs, config, on_problem=_print_problem)
        rendered = render(result, fmt)
    except NewsbriefError as exc:
        raise click.ClickException(str(exc)) from None
    if output:
        output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)


if __name__ == "__main__":
    main()
