"""The SVG chart of a figure that changed over time: parsed as XML, its points are the dated values
in time order, its text is escaped, it holds no script, and it is left out with fewer than two dates."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from newsbrief.web.charts import figure_chart

SVG = "{http://www.w3.org/2000/svg}"


def update(*claims: tuple[float, str | None, str]) -> dict[str, object]:
    return {"subject": "deaths", "quantity": "deaths in Norland", "kind": "update",
            "claims": [{"value": value, "date": day, "text": text, "claimed_by": "the Norland Herald",
                        "unit": None, "citations": [f"a{n}:0"]} for n, (value, day, text) in enumerate(claims, 1)]}


def parsed(markup: str | None) -> ET.Element:
    assert markup is not None
    return ET.fromstring(markup)


def test_a_point_per_dated_value_in_time_order_rising_on_the_page() -> None:
    svg = parsed(figure_chart(update((23, "2026-11-11", "23 deaths"), (6, "2026-11-09", "at least 6 people"),
                                     (14, "2026-11-10", "14"))))
    points = svg.findall(f"{SVG}circle")
    assert [p.get("data-date") for p in points] == ["2026-11-09", "2026-11-10", "2026-11-11"]
    assert [p.get("data-value") for p in points] == ["6", "14", "23"]
    xs = [float(p.get("cx")) for p in points]
    ys = [float(p.get("cy")) for p in points]
    assert xs == sorted(xs) and xs[0] < xs[1] < xs[2]
    assert ys[0] > ys[1] > ys[2]  # a rising toll goes up the page (SVG's y grows downwards)
    assert abs((xs[1] - xs[0]) - (xs[2] - xs[1])) < 0.2  # one day apart, one step apart
    line = svg.find(f"{SVG}polyline").get("points").split()
    assert len(line) == 3
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "2026-11-09" in texts and "2026-11-11" in texts and "23" in texts and "6" in texts
    assert "at least 6 people (2026-11-09, the Norland Herald)" in [t.text for t in svg.iter(f"{SVG}title")]


def test_source_text_is_escaped_and_there_is_no_script() -> None:
    hostile = '<script>alert("x")</script> & "quoted" 40 people'
    markup = figure_chart(update((10, "2026-01-01", hostile), (40, "2026-01-03", "40 people")) | {
        "quantity": 'people <img src=x onerror="alert(1)">'})
    svg = parsed(markup)  # still well-formed XML
    assert "<script" not in markup and "<img" not in markup
    assert svg.find(f".//{SVG}script") is None and not any(e.tag.endswith("img") for e in svg.iter())
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert f"{hostile} (2026-01-01, the Norland Herald)" in titles  # the text itself, read back intact
    assert svg.get("aria-label") == 'people <img src=x onerror="alert(1)">: values by date'
    assert not any(name.startswith("on") for e in svg.iter() for name in e.attrib)


def test_no_chart_without_two_dated_values() -> None:
    assert figure_chart(update((6, "2026-11-09", "6"), (14, None, "14"))) is None
    assert figure_chart(update((6, "2026-11-09", "6"), (14, "2026-11-09", "14"))) is None  # one day only
    assert figure_chart(update((6, "not a date", "6"), (14, "2026-11-10", "14"))) is None
    assert figure_chart({"subject": "deaths", "kind": "update", "claims": []}) is None


def test_values_in_percent_and_money_are_labelled_with_their_unit() -> None:
    item = update((4.5, "2026-03-01", "4.5%"), (4.75, "2026-05-01", "4.75%"))
    for claim in item["claims"]:
        claim["unit"] = "%"
    texts = [t.text for t in parsed(figure_chart(item)).iter(f"{SVG}text")]
    assert "4.75%" in texts and "4.5%" in texts
    money = update((1_200_000, "2026-03-01", "$1.2 million"), (900_000, "2026-03-04", "$900,000"))
    for claim in money["claims"]:
        claim["unit"] = "$"
    assert "$1,200,000" in [t.text for t in parsed(figure_chart(money)).iter(f"{SVG}text")]
