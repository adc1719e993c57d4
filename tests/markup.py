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


def form_data(html: str | bytes, form_id: str | None = None) -> dict[str, str | list[str]]:
    """What a browser would post from the page's form (the first, or the one with ``form_id``)
    as it stands: text and hidden inputs, ticked boxes, selected options and text areas."""
    found = elements(html)
    form = next(e for e in found if e.tag == "form" and form_id in (None, e.attrs.get("id")))
    data: dict[str, list[str]] = {}
    for element in found:
        name = element.attrs.get("name")
        if not name or element.inside("form") is not form or "disabled" in element.attrs:
            continue
        if element.tag == "input":
            kind = element.attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and "checked" not in element.attrs:
                continue
            data.setdefault(name, []).append(
                element.attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            )
        elif element.tag == "textarea":
            data.setdefault(name, []).append("".join(element.text).removeprefix("\n"))
        elif element.tag == "select":
            data.setdefault(name, [])
    for option in (e for e in found if e.tag == "option" and "selected" in e.attrs):
        select = option.inside("select")
        if select is not None and select.inside("form") is form and select.attrs.get("name"):
            data.setdefault(select.attrs["name"], []).append(
                option.attrs.get("value", option.words)
            )
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
