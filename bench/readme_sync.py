"""Refresh the generated parts of README.md: the sample's real output and the settings table."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from newsbrief.settings import SETTINGS

README = Path(__file__).resolve().parents[1] / "README.md"


def main() -> None:
    text = README.read_text("utf-8")
    output = subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", "brief", "examples/selvan-dam"],
        cwd=README.parent, capture_output=True, text=True, check=True,
    ).stdout
    text = re.sub(r"```text\n(<!-- sample-output -->|.*?)\n```", lambda _: "```text\n" + output.rstrip() + "\n```",
                  text, count=1, flags=re.S)
    table = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    table += [f"| {s.name} | `{s.env}` | `{s.default}` | {s.help} |" for s in SETTINGS]
    text = re.sub(r"(<!-- settings -->\n|\| setting \|.*?\n)(?=\n## Python API)", "\n".join(table) + "\n",
                  text, count=1, flags=re.S)
    README.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
