"""A page's elements with their attributes, ancestors and text, for tests that check what a
page offers (a button's class, whether it sits inside a closed disclosure) without a browser."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parents: tuple["Element", ...]
    text: list[str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())

    def inside(self, tag: str) -> "Element | None":
        """The nearest ancestor with ``tag``, if any."""
        return next((p for p in reversed(self.parents) if p.tag == tag), None)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[Element] = []
        self.found: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(self.stack))
        self.found.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        for element in self.stack:
            element.text.append(data)


def elements(html: str | bytes, tag: str | None = None) -> list[Element]:
    """Every element of the page (or every ``tag``), in document order."""
    parser = _Parser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return [e for e in parser.found if tag is None or e.tag == tag]
