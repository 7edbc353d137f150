"""The SVG charts: pure functions, no database."""

import re
from xml.etree import ElementTree

import pytest

from analytics.charts import Point, axis_ticks, bar_chart, line_chart, nice_ceiling, truncate, x_label_indexes

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ElementTree.Element:
    # The markup is meant to be inlined in HTML; as a document it needs its namespace.
    # Our own output, not untrusted input: the stdlib parser is fine here.
    return ElementTree.fromstring(markup.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))  # noqa: S314


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(0, 1), (1, 1), (3, 3), (7, 10), (11, 20), (21, 25), (26, 50), (51, 100), (2**64, 2 * 10**19)],
)
def test_nice_ceiling_is_one_two_two_and_a_half_or_five_times_a_power_of_ten(value, ceiling):
    assert nice_ceiling(value) == ceiling


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 0, [0, 1]),
        (0, 3, [0, 1, 2, 3]),
        (0, 100, [0, 25, 50, 75, 100]),
        (0, 1234, [0, 500, 1000, 1500]),
        (-50, 200, [-100, 0, 100, 200]),
        (-70, 0, [-80, -60, -40, -20, 0]),
    ],
)
def test_axis_ticks_are_evenly_spaced_and_cover_the_values(low, high, ticks):
    assert axis_ticks(low, high) == ticks


def test_at_most_six_x_labels_with_the_first_and_the_last():
    assert x_label_indexes(4) == [0, 1, 2, 3]
    assert x_label_indexes(31) == [0, 6, 12, 18, 24, 30]


def test_truncate_counts_wide_characters_double():
    assert truncate("Kitchen", 100) == "Kitchen"
    assert truncate("Kitchen appliances", 70) == "Kitchen a…"  # 7 px per character, the ellipsis included
    assert truncate("厨房电器和配件", 70) == "厨房电器…"


def test_a_line_chart_is_an_accessible_svg_with_axes_and_a_titled_point_per_value():
    markup = line_chart(
        chart_id="gmv",
        title="Revenue per day",
        description="From 1 to 3 March",
        points=[Point("1 Mar", 100), Point("2 Mar", 250), Point("3 Mar", 0)],
        format_value=lambda v: f"${v}",
    )

    svg = _parse(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "gmv-title"
    assert svg.get("aria-describedby") == "gmv-desc"
    assert svg.find(f"{SVG}title").text == "Revenue per day"
    assert svg.find(f"{SVG}desc").text == "From 1 to 3 March"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["$0", "$100", "$200", "$300", "1 Mar", "2 Mar", "3 Mar"]
    assert [c.find(f"{SVG}title").text for c in svg.iter(f"{SVG}circle")] == [
        "1 Mar: $100",
        "2 Mar: $250",
        "3 Mar: $0",
    ]
    points = svg.find(f"{SVG}polyline").get("points").split()
    # the highest value is drawn highest (smallest y), zero on the bottom grid line
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[1] < ys[0] < ys[2]
    assert ys[2] == float(svg.find(f"{SVG}line").get("y1"))


def test_a_line_chart_of_one_point_or_none_draws_no_line():
    one = _parse(line_chart(chart_id="a", title="t", description="d", points=[Point("x", 5)]))
    empty = _parse(line_chart(chart_id="b", title="t", description="d", points=[]))

    assert (one.find(f"{SVG}polyline"), len(list(one.iter(f"{SVG}circle")))) == (None, 1)
    assert (empty.find(f"{SVG}polyline"), len(list(empty.iter(f"{SVG}circle")))) == (None, 0)


def test_labels_are_escaped():
    markup = line_chart(
        chart_id="x", title="<script>", description="&", points=[Point('<img src=x onerror="1">', 1)]
    )

    assert "<script>" not in markup
    assert "<img" not in markup
    assert "&lt;img src=x onerror=&quot;1&quot;&gt;" in markup
    _parse(markup)  # well-formed


def test_a_bar_chart_draws_bars_in_proportion_with_labels_and_values():
    markup = bar_chart(
        chart_id="cats",
        title="Revenue by category",
        description="Top categories",
        bars=[Point("Kitchen", 400), Point("Garden", 100), Point("Refunds", -5)],
        format_value=str,
    )

    svg = _parse(markup)
    widths = [int(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert round(widths[0] / widths[1]) == 4
    assert widths[2] == 0
    assert [r.find(f"{SVG}title").text for r in svg.iter(f"{SVG}rect")] == [
        "Kitchen: 400",
        "Garden: 100",
        "Refunds: -5",
    ]
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["Kitchen", "400", "Garden", "100", "Refunds", "-5"]


def test_colours_have_contrast_on_white():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    markup = line_chart(chart_id="c", title="t", description="d", points=[Point("a", 1), Point("b", 2)])
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', markup)) - {
        "#d5dae1"
    }  # grid lines decorate
    assert colours
    for colour in colours:
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5, colour
