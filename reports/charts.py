"""The geometry of the dashboard's server-rendered SVG bars.

Each chart has a value axis (gridlines labelled from zero to the top of the scale) and the month
chart a legend naming its two series; the words are the template's, in the reader's language.
"""

import math

CHART_WIDTH, CHART_HEIGHT = 640, 268
CHART_LEFT = 48  # room for the value axis's labels
CHART_TOP, CHART_BOTTOM = 44, 220  # the legend above the plot, the month labels below it
BAR_LABEL_WIDTH, BAR_HEIGHT, BAR_STEP = 170, 20, 28


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """Round values from zero to at least ``top`` for a value axis: steps of 1, 2 or 5 times a
    power of ten, at most ``most`` of them."""
    top = max(top or 0, 1)
    power = 10 ** math.floor(math.log10(top / most)) if top > most else 1
    step = next(step * power for step in (1, 2, 5, 10) if math.ceil(top / (step * power)) <= most)
    count = math.ceil(top / step)
    return [round(step * index, 6) for index in range(count + 1)]


def _tick_label(value: float) -> str:
    return f"{value:g}"


def month_chart(months: list[dict]) -> dict:
    """Pairs of bars (logged, closed) per month, in SVG user units, with the value axis's
    gridlines and the legend's places."""
    ticks = nice_ticks(max([m["logged"] for m in months] + [m["closed"] for m in months] or [0]))
    scale = (CHART_BOTTOM - CHART_TOP) / ticks[-1]
    slot = (CHART_WIDTH - CHART_LEFT) / max(len(months), 1)
    bar = max(slot / 2 - 4, 2)
    groups = []
    for index, month in enumerate(months):
        x = CHART_LEFT + index * slot + 2
        bars = []
        for offset, key in enumerate(("logged", "closed")):
            height = round(month[key] * scale, 1)
            bars.append(
                {
                    "kind": key,
                    "x": round(x + offset * (bar + 2), 1),
                    "y": round(CHART_BOTTOM - height, 1),
                    "width": round(bar, 1),
                    "height": height,
                    "value": month[key],
                }
            )
        groups.append(
            {
                "month": month["month"],
                "bars": bars,
                "label_x": round(x + bar + 1, 1),
                # The year under the first month and under every January.
                "shows_year": index == 0 or month["month"].month == 1,
            }
        )
    gridlines = [
        {"y": round(CHART_BOTTOM - tick * scale, 1), "label": _tick_label(tick)} for tick in ticks
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "base": CHART_BOTTOM,
        "label_y": CHART_BOTTOM + 20,
        "year_y": CHART_BOTTOM + 42,
        "tick_x": CHART_LEFT - 6,
        "gridlines": gridlines,
        "groups": groups,
    }


def bar_chart(rows: list[tuple[str, float | None]]) -> dict:
    """Horizontal bars, one per labelled value (None draws no bar), over a value axis labelled
    from zero to the top of its scale."""
    ticks = nice_ticks(max([v for _label, v in rows if v] or [0]))
    plot = CHART_WIDTH - BAR_LABEL_WIDTH - 60
    scale = plot / ticks[-1]
    bars = [
        {
            "label": label,
            "value": value,
            "y": index * BAR_STEP + 4,
            "width": round((value or 0) * scale, 1),
        }
        for index, (label, value) in enumerate(rows)
    ]
    base = len(rows) * BAR_STEP + 8
    gridlines = [
        {"x": round(BAR_LABEL_WIDTH + tick * scale, 1), "label": _tick_label(tick)}
        for tick in ticks
    ]
    return {
        "width": CHART_WIDTH,
        "height": base + 52,
        "left": BAR_LABEL_WIDTH,
        "base": base,
        "label_y": base + 20,
        "title_x": (BAR_LABEL_WIDTH + CHART_WIDTH) // 2,
        "title_y": base + 44,
        "gridlines": gridlines,
        "bars": bars,
    }
