"""Many small fictional articles about many fictional events, for ingest tests."""

from __future__ import annotations

import json
import random
from pathlib import Path

TOWNS = ["Velmor", "Ostrava Bay", "Kettering Hollow", "Marisol", "Dunmere", "Peyton Cross", "Halvard",
         "Sorrento Flats", "Brindle", "Quarry Point", "Ashgrove", "Linden Vale", "Corvo", "Tamsin"]
TOPICS = [
    ("council approves new {n}-bed hospital", "The {town} council voted on {day} to approve a new hospital with {n} beds, "
     "Mayor {name} said. Construction is expected to start next spring and cost about {m} million dollars. "
     "Residents of {town} have waited a decade for the hospital, the council said."),
    ("fire destroys {n} homes", "A fire swept through the north of {town} on {day}, destroying {n} homes, fire chief {name} said. "
     "Strong winds pushed the flames across dry fields before crews contained them. "
     "About {m} residents of {town} spent the night in emergency shelters."),
    ("ferry strike halts crossings", "Ferry workers in {town} walked out on {day}, halting crossings for about {m} commuters, "
     "union leader {name} said. The strike is over pay and could last {n} days. "
     "The {town} harbour authority said it would run extra buses."),
    ("school board cuts {n} teaching jobs", "The {town} school board voted on {day} to cut {n} teaching jobs, "
     "board chair {name} said, blaming a budget gap of {m} million dollars. "
     "Parents in {town} protested outside the board offices."),
]
NAMES = ["Ines Calder", "Tomas Varga", "Ana Ruiz", "Jorn Hale", "Mira Osei", "Petra Lind", "Karel Dussek"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def write_articles(path: Path, count: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        town = rng.choice(TOWNS)
        headline, body = rng.choice(TOPICS)
        values = {"town": town, "n": rng.randint(5, 400), "m": rng.randint(2, 90), "name": rng.choice(NAMES),
                  "day": rng.choice(DAYS)}
        rows.append({
            "url": f"https://outlet{i % 7}.example/news/{i}",
            "outlet": f"Outlet {i % 7}",
            "title": f"{town}: " + headline.format(**values),
            "published_at": f"2026-0{1 + i % 9}-{10 + i % 18}T08:00:00Z",
            "text": body.format(**values) + f" Report number {i} from our correspondent in {town}.",
        })
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    return rows
