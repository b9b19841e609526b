"""The dashboard's chart: stacked horizontal bars as SVG, drawn from numbers alone (no database, no app)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.tasks.chart import PLOT_WIDTH, Bar, Series, nice_step, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"
SERIES = [Series("Đúng hạn", "#1e7a3c"), Series("Trễ hạn", "#d99a00"), Series("Quá hạn", "#b42318")]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def _segments(root: ET.Element) -> list[ET.Element]:
    return [rect for bar in root.iter(f"{SVG}g") if bar.get("class") == "bar" for rect in bar.iter(f"{SVG}rect")]


def test_the_chart_is_an_accessible_image_with_a_title_and_a_description() -> None:
    root = _parse(stacked_bars([Bar("Văn phòng", (1, 2, 3))], SERIES, title="Nhiệm vụ", description="Ba loại"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id and root.find(f"{SVG}title").text == "Nhiệm vụ"
    assert root.find(f"{SVG}desc").get("id") == desc_id and root.find(f"{SVG}desc").text == "Ba loại"


def test_each_segment_has_its_colour_its_width_and_a_title() -> None:
    root = _parse(stacked_bars([Bar("Văn phòng", (1, 2, 3)), Bar("Phòng Kế hoạch", (0, 0, 2))], SERIES, title="t"))
    segments = _segments(root)
    assert [s.get("fill") for s in segments] == ["#1e7a3c", "#d99a00", "#b42318", "#b42318"]
    widths = [float(s.get("width")) for s in segments]
    # The longest bar (6) fills the plot; every segment is to the same scale (to a tenth of a pixel).
    assert sum(widths[:3]) == pytest.approx(PLOT_WIDTH, abs=0.2)
    unit = PLOT_WIDTH / 6
    assert widths[:3] == pytest.approx([unit, 2 * unit, 3 * unit], abs=0.1)
    assert widths[3] == widths[1]
    assert segments[0].find(f"{SVG}title").text == "Văn phòng · Đúng hạn: 1"
    # Segments follow one another from the left edge.
    xs = [float(s.get("x")) for s in segments[:3]]
    assert xs[1] == pytest.approx(xs[0] + widths[0], abs=0.1) and xs[2] == pytest.approx(xs[1] + widths[1], abs=0.1)
    bar_titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert bar_titles[0] == "Văn phòng: 6 (Đúng hạn: 1, Trễ hạn: 2, Quá hạn: 3)"


def test_the_legend_names_every_series_in_order() -> None:
    root = _parse(stacked_bars([Bar("A", (1, 1, 1))], SERIES, title="t"))
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == [s.name for s in SERIES]
    assert [r.get("fill") for r in legend.iter(f"{SVG}rect")] == [s.colour for s in SERIES]


def test_names_are_escaped_and_long_ones_cut_with_the_full_name_kept_in_the_title() -> None:
    hostile = '<script>alert("x")</script> & "Phòng"'
    long_name = "Phòng Quản lý đầu tư xây dựng và phát triển hạ tầng đô thị"
    svg = stacked_bars([Bar(hostile, (1, 0, 0)), Bar(long_name, (0, 1, 0))], SERIES, title="<b>", chart_id='x" y')
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    assert root.find(f"{SVG}title").text == "<b>"
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert labels[0].startswith("<script>")
    assert labels[1].endswith("…") and len(labels[1]) <= 32
    bar_titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert bar_titles[1].startswith(long_name)


def test_zero_values_draw_nothing_and_an_empty_chart_is_still_valid() -> None:
    root = _parse(stacked_bars([Bar("Phòng Thanh tra", (0, 0, 0))], SERIES, title="t"))
    assert _segments(root) == []
    empty = _parse(stacked_bars([], SERIES, title="Không có nhiệm vụ"))
    assert empty.find(f"{SVG}title").text == "Không có nhiệm vụ"


def test_bad_bars_are_refused() -> None:
    with pytest.raises(ValueError, match="one value per series"):
        stacked_bars([Bar("A", (1, 2))], SERIES, title="t")
    with pytest.raises(ValueError, match="below zero"):
        stacked_bars([Bar("A", (1, -2, 0))], SERIES, title="t")


@pytest.mark.parametrize(
    ("largest", "step"),
    [(0, 1), (1, 1), (4, 1), (7, 2), (10, 2), (23, 5), (60, 20), (99, 20), (480, 100), (12_345, 5_000)],
)
def test_the_scale_steps_are_round_numbers(largest: int, step: int) -> None:
    assert nice_step(largest) == step


def test_the_scale_ends_on_a_step_at_or_above_the_longest_bar() -> None:
    root = _parse(stacked_bars([Bar("A", (7, 0, 0))], SERIES, title="t"))
    scale = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "scale")
    assert [t.text for t in scale.iter(f"{SVG}text")] == ["0", "2", "4", "6", "8"]
    assert float(_segments(root)[0].get("width")) == pytest.approx(PLOT_WIDTH * 7 / 8, abs=0.1)
