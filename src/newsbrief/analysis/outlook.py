"""Forward-looking statements: what sources say may, could or is expected to happen."""

from __future__ import annotations

import re

# Strong cues name an expectation or a risk; weak ones ("will") are often plain scheduling.
_STRONG = re.compile(
    r"\b(could|might|may|likely|unlikely|expected to|expects? to|is poised to|are poised to|"
    r"warn(?:s|ed|ing)?|predict(?:s|ed)?|forecasts?|anticipat\w+|threaten\w*|risk(?:s)? of|at risk|"
    r"fear(?:s|ed)? that|in the coming (?:days|weeks|months|years)|potentially|would likely)\b"
)
_WEAK = re.compile(
    r"\b(will|plans? to|planned to|set to|intends? to|next (?:week|month|year)|upcoming|would|"
    r"is due to|are due to|aims? to)\b"
)


def outlook_strength(sentence: str) -> float:
    """0 for a plain statement of fact, 0.5 for a scheduled or planned event, 1 for an
    expectation, warning or risk."""
    if sentence.rstrip().endswith("?"):
        return 0.0
    if _STRONG.search(sentence):
        return 1.0
    if _WEAK.search(sentence):
        return 0.5
    return 0.0
