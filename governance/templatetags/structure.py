"""The area table's rows, written in Python: 30 areas of a street are 30 rows of a dozen tags,
which the template engine rendered at about 60 µs a row."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from residents.models import ResidentialArea

register = template.Library()

_ROW = (
    '\n    <tr role="row">'
    '\n      <th role="rowheader" scope="row"><a href="{}">{}</a></th>'
    '\n      <td role="cell" class="num" data-label="{}">{}</td>'
    '\n      <td role="cell" class="num" data-label="{}">{}</td>'
    '\n      <td role="cell" class="num" data-label="{}">{}</td>'
    '\n      <td role="cell" class="num" data-label="{}">{}</td>'
    '\n      <td role="cell" class="num" data-label="{}">{}</td>'
    "\n    </tr>"
)


@register.simple_tag
def area_rows(areas: Iterable[ResidentialArea]) -> SafeString:
    """One row per area with the figures of ``areas_with_figures``; the column names repeat
    as ``data-label`` for the stacked table on a phone."""
    compounds, core, three = _("Compounds"), _("1: party"), _("3: carriages")
    partners, cross = _("N: partners"), _("Cross-appointed")
    none = format_html('<span class="badge badge--warn">{}</span>', _("none"))
    return format_html_join(
        "",
        _ROW,
        (
            (
                area.url,
                area.name,
                compounds,
                area.compound_count,
                core,
                area.core_count,
                three,
                area.three_count,
                partners,
                area.n_count,
                cross,
                area.cross_appointment_count or none,
            )
            for area in areas
        ),
    )
