"""Markdown bodies rendered to HTML that is safe to show: CommonMark, then the nh3 sanitiser.

Raw HTML in a body is escaped by the parser; nh3 (Ammonia) then keeps only the tags and
attributes below, so no script, style or event attribute reaches a page whatever the input.
"""

import html

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "h2", "h3", "h4", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> SafeString:
    rendered = _parser.render(text or "")
    # Headings start at h2: the page's own title is the only h1.
    for level in (3, 2, 1):
        rendered = rendered.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def markdown_to_text(text: str) -> str:
    """A Markdown body as the words a reader sees, without markup (``**崂三**`` -> ``崂三``);
    blocks stay on lines of their own. What the search index holds and its excerpts show."""
    rendered = nh3.clean(_parser.render(text or ""), tags=set())
    lines = (" ".join(line.split()) for line in html.unescape(rendered).splitlines())
    return "\n".join(line for line in lines if line)


def plain_text(text: str, length: int = 160) -> str:
    """The first words of a Markdown body without markup, e.g. for an Open Graph description."""
    words = " ".join(markdown_to_text(text).split())
    return words if len(words) <= length else words[: length - 1] + "…"
