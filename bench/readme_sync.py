"""Refresh the generated parts of README.md (between <!-- name:start --> and <!-- name:end -->):
the sample's real output, the settings table and each command's --help."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from newsbrief.cli import main as cli
from newsbrief.settings import SETTINGS

README = Path(__file__).resolve().parents[1] / "README.md"


def replace_between(text: str, name: str, content: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no <!-- {name}:start --> ... <!-- {name}:end --> block")
    return pattern.sub(lambda m: m.group(1) + content + m.group(2), text, count=1)


def sample_output() -> str:
    return subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", "brief", "examples/selvan-dam"],
        cwd=README.parent, capture_output=True, text=True, check=True,
    ).stdout


def settings_table() -> str:
    rows = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    rows += [f"| {s.name} | `{s.env}` | `{s.default}` | {s.help} |" for s in SETTINGS]
    return "\n".join(rows) + "\n"


def command_help() -> str:
    runner = CliRunner()
    pages = [runner.invoke(cli, ["--help"], terminal_width=100).output]
    for name, command in cli.commands.items():
        pages.append(runner.invoke(cli, [name, "--help"], terminal_width=100).output)
        for sub in getattr(command, "commands", {}):
            pages.append(runner.invoke(cli, [name, sub, "--help"], terminal_width=100).output)
    return "".join(f"```text\n{page.rstrip()}\n```\n" for page in pages)


def main() -> None:
    text = README.read_text("utf-8")
    text = replace_between(text, "sample", "```text\n" + sample_output().rstrip() + "\n```\n")
    text = replace_between(text, "settings", settings_table())
    text = replace_between(text, "commands", command_help())
    README.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
