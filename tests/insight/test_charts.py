"""Charts draw everything inside their frame (issue 27, item 12: the Knowing chart's
"Achieving 60 %" labels were cut off at the bottom)."""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from equal_outcomes.insight.charts import Bar, bar_chart


def test_the_levels_labels_sit_inside_the_chart_with_room_for_descenders() -> None:
    chart = bar_chart(
        "Response rate", "Each characteristic's response rate",
        [Bar("Ethnic group", 0.62, text="62%"), Bar("Religion or belief", 0.41, text="41%")],
        maximum=1.0, marks=[(0.6, "Achieving 60%"), (0.9, "Excellent 90%")],
    )  # fmt: skip
    svg = render_to_string("insight/_bar_chart.html", {"chart": chart, "id": "c"})
    labels = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" font-size="11"[^>]*>([^<]+)<', svg)
    assert [text for _x, _y, text in labels] == ["Achieving 60%", "Excellent 90%"]
    for x, y, text in labels:
        assert float(y) + 4 <= chart.height, f"{text}: its descenders fall outside the chart"
        assert float(x) + len(text) * 3.5 <= chart.width, f"{text} runs off the right edge"
