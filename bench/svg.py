# SPDX-License-Identifier: GPL-2.0-only
"""svg.py — the benchmark's two pictures, as self-contained SVG text.

Takes figures per scheduler; makes a latency CDF (one line per scheduler, log-scaled microseconds
across, the fraction of wake-ups up) and a bar chart (one bar per scheduler, with the spread over
rounds as a whisker).  Plain SVG with a white background and inline styles, so that it shows the
same in a browser, an image viewer and a Markdown page.
"""

import math
from xml.sax.saxutils import escape

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 400, 70, 170, 40, 50


def frame(title, x_label, y_label):
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
            f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>',
            f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#444"/>',
            f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 12}" text-anchor="middle">{escape(x_label)}</text>',
            f'<text x="16" y="{TOP + plot_h / 2}" text-anchor="middle" '
            f'transform="rotate(-90 16 {TOP + plot_h / 2})">{escape(y_label)}</text>'], plot_w, plot_h


def legend(names, lines):
    for i, name in enumerate(names):
        y = TOP + 10 + 18 * i
        lines.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{y - 9}" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>')
        lines.append(f'<text x="{WIDTH - RIGHT + 30}" y="{y + 1}">{escape(name)}</text>')


def latency_cdf(title, histograms):
    """HISTOGRAMS: name -> {microseconds: count}.  A step line per scheduler."""
    lines, plot_w, plot_h = frame(title, "wake-up latency (µs, log scale)", "fraction of wake-ups at or below")
    top_us = max((max(h) for h in histograms.values() if h), default=10)
    span = math.log10(max(top_us, 10))

    def x_of(us):
        return LEFT + plot_w * math.log10(max(us, 1)) / span

    for decade in range(0, int(span) + 1):
        x = x_of(10 ** decade)
        lines.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}" stroke="#ddd"/>')
        lines.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{10 ** decade}</text>')
    for tick in (0.5, 0.9, 0.99, 1.0):
        y = TOP + plot_h * (1 - tick)
        lines.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        lines.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
    for i, (name, histogram) in enumerate(histograms.items()):
        total, seen, points = sum(histogram.values()), 0, []
        for us in sorted(histogram):
            seen += histogram[us]
            points.append(f"{x_of(us):.1f},{TOP + plot_h * (1 - seen / total):.1f}")
        lines.append(f'<polyline fill="none" stroke-width="2" stroke="{COLOURS[i % len(COLOURS)]}" '
                     f'points="{" ".join(points)}"><title>{escape(name)}</title></polyline>')
    legend(list(histograms), lines)
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def bars(title, y_label, samples, reference_line=None):
    """SAMPLES: name -> Sample.  A bar at each median, a whisker from low to high."""
    lines, plot_w, plot_h = frame(title, "scheduler", y_label)
    top = max(sample.high for sample in samples.values()) * 1.15 or 1
    step = plot_w / max(len(samples), 1)
    for tick in range(0, 5):
        value = top * tick / 4
        y = TOP + plot_h * (1 - value / top)
        lines.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:.2f}</text>')
    if reference_line:
        y = TOP + plot_h * (1 - reference_line / top)
        lines.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#888" stroke-dasharray="4 3"/>')
    for i, (name, sample) in enumerate(samples.items()):
        x, h = LEFT + step * i + step * 0.2, plot_h * sample.median / top
        colour = COLOURS[i % len(COLOURS)]
        lines.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{step * 0.6:.1f}" height="{h:.1f}" '
                     f'fill="{colour}"><title>{escape(name)}: {sample.median:.3f}</title></rect>')
        mid, low, high = x + step * 0.3, TOP + plot_h * (1 - sample.low / top), TOP + plot_h * (1 - sample.high / top)
        lines.append(f'<line x1="{mid:.1f}" y1="{low:.1f}" x2="{mid:.1f}" y2="{high:.1f}" stroke="black"/>')
        lines.append(f'<text x="{mid:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{escape(name)}</text>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n"
