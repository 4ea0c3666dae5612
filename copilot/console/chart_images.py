"""PNG charts for a QBR: tickets by severity, first-response SLA compliance, MTTR trend.

Drawn with matplotlib's object API on the Agg canvas (no ``pyplot``, no GUI, no global figure
state). The rows come from :func:`copilot.console.charts.account_chart_data`, i.e. the same
definitions as the QBR narrative's numbers; the reviewed quarter (the last three months of the
window) is shaded so the trend reads into it.

Speed matters here: batch QBR draws the same three layouts for every account of a quarter,
and building a figure, and above all laying out and rasterising its text, costs far more than
the bars and lines. So each thread keeps one figure per chart for the current month window
(:class:`_Chart`): the parts common to every account (axes frame, month labels, shading,
legend, axis titles) are rendered once into a background, and per account only the account's
artists (title, bars or lines, and the y axis where its scale depends on the data) are drawn
over a copy of it ("blitting"), then encoded to PNG.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

from copilot.console.charts import ChartData
from copilot.records.models import PRIORITIES

__all__ = ["CHART_FILES", "chart_pngs", "render_qbr_charts"]

CHART_FILES: dict[str, str] = {
    "severity": "tickets-by-severity.png",
    "sla": "sla-compliance.png",
    "mttr": "mttr-trend.png",
}
"""Chart name -> file name inside an account's ``charts/`` folder."""

_COLORS = {"P1": "#b2182b", "P2": "#ef8a62", "P3": "#67a9cf", "P4": "#969696"}
_SIZE = (7.0, 3.3)
_DPI = 100
_PNG_LEVEL = 3  # zlib level: 6 is ~2x slower for ~5% smaller files


class _Chart:
    """One figure whose static parts are rendered once; ``render()`` blits the dynamic ones."""

    def __init__(self, months: list[str], quarter_label: str, ylabel: str, *, dynamic_y: bool) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.months = months
        self.fig = Figure(figsize=_SIZE, dpi=_DPI)  # fixed margins: a layout engine costs more than drawing
        self.canvas = FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.08, right=0.985, top=0.80, bottom=0.13)
        ax = self.ax = self.fig.add_subplot()
        n = len(months)
        ax.axvspan(n - 3.5, n - 0.5, color="#ececec", zorder=0)
        ax.set_xticks(range(n))
        ax.set_xticklabels([m[2:] for m in months], fontsize=7)
        ax.set_xlim(-0.5, n - 0.5)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        self.fig.text(0.012, 0.47, ylabel, rotation=90, va="center", ha="left", fontsize=8)
        self.fig.text(0.985, 0.865, f"shaded: {quarter_label}", ha="right", va="center", fontsize=7, color="#555555")
        self.title = self.fig.text(0.012, 0.96, "", ha="left", va="top", fontsize=10)
        self.dynamic: list[Any] = [self.title]
        self.dynamic_y = dynamic_y
        self._background = None

    def legend(self, handles: list[Any]) -> None:
        self.fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.075, 0.865), ncols=len(handles),
                        fontsize=7, frameon=False, handlelength=1.2, columnspacing=1.0)

    def _freeze(self) -> None:
        extra = [self.ax.yaxis] if self.dynamic_y else []
        for artist in self.dynamic + extra:
            artist.set_animated(True)
        for spine in self.ax.spines.values():  # drawn again over the data, as matplotlib would
            spine.set_animated(True)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)

    def render(self) -> bytes:
        if self._background is None:
            self._freeze()
        self.canvas.restore_region(self._background)
        if self.dynamic_y:
            self.fig.draw_artist(self.ax.yaxis)
        for artist in self.dynamic:
            self.fig.draw_artist(artist)
        for spine in self.ax.spines.values():
            self.fig.draw_artist(spine)
        from PIL import Image

        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=_PNG_LEVEL)
        return buffer.getvalue()


class _ChartSet:
    """The three charts for one month window; data artists are updated in place per account."""

    def __init__(self, months: list[str], quarter: str) -> None:
        self.months = list(months)
        self.quarter = quarter
        n = len(months)
        xs = list(range(n))
        self.index = {m: i for i, m in enumerate(months)}

        self.sev = _Chart(self.months, quarter, "tickets opened", dynamic_y=True)
        self.sev_bars = {p: self.sev.ax.bar(xs, [0] * n, width=0.7, color=_COLORS[p], label=p) for p in PRIORITIES}
        self.sev.ax.yaxis.get_major_locator().set_params(integer=True)
        self.sev.dynamic += [rect for p in PRIORITIES for rect in self.sev_bars[p]]
        self.sev.legend([self.sev_bars[p] for p in PRIORITIES])

        self.sla = _Chart(self.months, quarter, "first response in SLA (%)", dynamic_y=False)
        self.sla_bars = self.sla.ax.bar(xs, [0] * n, width=0.7, color="#4393c3")
        self.sla.ax.set_ylim(0, 112)
        self.sla.ax.set_yticks([0, 25, 50, 75, 100])
        self.sla_labels = [self.sla.ax.text(x, 0, "", ha="center", va="bottom", fontsize=6) for x in xs]
        self.sla_empty = self.sla.ax.text(0.5, 0.5, "no tickets in this period", transform=self.sla.ax.transAxes,
                                          ha="center", fontsize=8)
        self.sla.dynamic += list(self.sla_bars) + self.sla_labels + [self.sla_empty]

        self.mttr = _Chart(self.months, quarter, "MTTR (hours)", dynamic_y=True)
        self.mttr_lines = {p: self.mttr.ax.plot([], [], marker="o", markersize=3, color=_COLORS[p], label=p)[0]
                           for p in PRIORITIES}
        self.mttr_empty = self.mttr.ax.text(0.5, 0.5, "no resolved tickets in this period",
                                            transform=self.mttr.ax.transAxes, ha="center", fontsize=8)
        self.mttr.dynamic += list(self.mttr_lines.values()) + [self.mttr_empty]
        self.mttr.legend(list(self.mttr_lines.values()))

    def severity(self, data: ChartData, title: str) -> bytes:
        n = len(self.months)
        bottom = [0] * n
        for priority in PRIORITIES:
            counts = [0] * n
            for row in data.severity:
                if row["priority"] == priority:
                    counts[self.index[row["month"]]] = row["tickets"]
            for rect, base, count in zip(self.sev_bars[priority], bottom, counts, strict=True):
                rect.set_y(base)
                rect.set_height(count)
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        self.sev.ax.set_ylim(0, max(bottom + [1]) * 1.12 + 0.5)
        self.sev.title.set_text(f"{title}: tickets opened by severity")
        return self.sev.render()

    def sla_chart(self, data: ChartData, title: str) -> bytes:
        rows = {row["month"]: row for row in data.sla}
        any_data = False
        for i, month in enumerate(self.months):
            row = rows.get(month) or {}
            pct = row.get("compliance_pct")
            self.sla_bars[i].set_height(pct or 0)
            label = self.sla_labels[i]
            if pct is None:
                label.set_text("")
            else:
                any_data = True
                label.set_text(f"{row['met']}/{row['total']}")
                label.set_position((i, pct + 1.5))
        self.sla_empty.set_visible(not any_data)
        self.sla.title.set_text(f"{title}: first-response SLA compliance")
        return self.sla.render()

    def mttr_chart(self, data: ChartData, title: str) -> bytes:
        nan = float("nan")
        top = 0.0
        for priority, line in self.mttr_lines.items():
            hours = [nan] * len(self.months)  # NaN breaks the line: no interpolation across empty months
            for r in data.mttr:
                if r["priority"] == priority and r["mttr_hours"] is not None:
                    hours[self.index[r["month"]]] = r["mttr_hours"]
            line.set_data(range(len(self.months)), hours)
            top = max([top] + [h for h in hours if h == h])
        self.mttr_empty.set_visible(top == 0)
        self.mttr.ax.set_ylim(0, top * 1.12 + 1)
        self.mttr.title.set_text(f"{title}: mean time to resolve by severity")
        return self.mttr.render()


_local = threading.local()


def _chart_set(months: list[str], quarter: str) -> _ChartSet:
    current: _ChartSet | None = getattr(_local, "charts", None)
    if current is None or current.months != months or current.quarter != quarter:
        current = _local.charts = _ChartSet(months, quarter)
    return current


def chart_pngs(data: ChartData, title: str = "") -> dict[str, bytes]:
    """The three charts for ``data`` as PNG bytes: ``{"severity"|"sla"|"mttr": png}``."""
    title = title or data.account_id
    charts = _chart_set(data.months, data.quarter)
    return {"severity": charts.severity(data, title), "sla": charts.sla_chart(data, title),
            "mttr": charts.mttr_chart(data, title)}


def render_qbr_charts(data: ChartData, out_dir: str | Path, title: str = "") -> dict[str, Path]:
    """Write the three PNGs for ``data`` into ``out_dir`` (atomically); returns ``{chart name: path}``."""
    from copilot.records.files import write_bytes_atomic

    out = Path(out_dir)
    return {name: write_bytes_atomic(out / CHART_FILES[name], png, fsync=False)
            for name, png in chart_pngs(data, title).items()}
