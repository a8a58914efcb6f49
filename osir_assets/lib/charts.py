"""Charts for the static HTML pages: altair specifications rendered to inline SVG offline by vl-convert.

The page carries the finished SVG (no script, no fonts or data fetched), so it opens offline and prints.
"""

import html

import altair as alt

alt.data_transformers.disable_max_rows()  # the figures are aggregated before they are drawn; a scatter may pass 5,000 rows
# vl-convert measures text with this font and the browser draws it: naming a font both have keeps labels inside the chart.
FONT = "DejaVu Sans, Verdana, sans-serif"


def inline_svg(chart: alt.TopLevelMixin, css_class: str, label: str) -> str:
    """``chart`` as an ``<svg>`` element inside a ``<figure>`` of ``css_class``, labelled for screen readers."""
    import vl_convert

    spec = chart.configure(font=FONT).configure_view(stroke=None).configure_legend(labelLimit=220).to_dict()
    svg = vl_convert.vegalite_to_svg(spec)
    return f'<figure class="{css_class}" role="img" aria-label="{html.escape(label)}">{svg}</figure>'
