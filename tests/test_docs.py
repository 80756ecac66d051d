"""The README stays true: its sample output is the real output, every setting and command is documented."""

from __future__ import annotations

import re

from click.testing import CliRunner

from newsbrief.cli import main
from newsbrief.settings import SETTINGS

from .conftest import EXAMPLES, REPO


def test_readme_shows_the_real_output_of_the_sample() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    shown = re.search(r"<!-- sample:start -->\n```text\n(.*?)\n```", readme, re.S).group(1)
    result = CliRunner().invoke(main, ["brief", str(EXAMPLES)])
    assert result.stdout.rstrip() == shown, "run: .venv/bin/python bench/readme_sync.py"


def test_every_setting_is_documented() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env}`" in readme


def test_readme_holds_every_command_help_as_printed() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for name, command in main.commands.items():
        for args in ([name], *([name, sub] for sub in getattr(command, "commands", {}))):
            page = CliRunner().invoke(main, [*args, "--help"], terminal_width=100).output.rstrip()
            assert page in readme, f"{' '.join(args)}: run .venv/bin/python bench/readme_sync.py"


def test_every_command_has_help() -> None:
    for name, command in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and command.help, name
