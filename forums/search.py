"""Search across published forums, speeches, practices and news: Chinese substrings, pinyin and
pinyin initials (``钢瓶``, ``gangping``, ``gp``), with the matched characters highlighted.

Pinyin is computed one syllable per character, so a match in the pinyin maps back to the
characters it came from.
"""

import datetime
import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe
from pypinyin import Style, lazy_pinyin, pinyin

if TYPE_CHECKING:
    from forums.models import SearchEntry

SNIPPET_CONTEXT = 40
HIGHLIGHT_PIECE = 200
_CJK = re.compile(r"[\u3400-\u9fff]")


def _syllables(text: str) -> list[str]:
    """One lower-case item per character of ``text``: its pinyin, the character itself, or
    nothing for white space."""
    items = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chunk: list(chunk))
    return ["" if item.isspace() else item.lower() for item in items]


def pinyin_of(text: str) -> tuple[str, str]:
    """The text's full pinyin and initials, each without separators (液化气钢瓶: yehuaqigangping,
    yhqgp)."""
    syllables = _syllables(text)
    return "".join(syllables), "".join(syllable[:1] for syllable in syllables)


def normalise(query: str) -> str:
    """The query without control characters (PostgreSQL refuses NUL) or repeated spaces."""
    printable = "".join(char if char.isprintable() else " " for char in query)
    return " ".join(printable.split())[:100]


MAX_READINGS = 64


def query_readings(query: str) -> list[str] | None:
    """Every pinyin the query's characters may be read as, joined as in the index (行长:
    hangzhang, xingzhang, ...), or None when there are too many to list.

    Each character is looked up alone, with all its readings, so that the reading the index
    chose from the surrounding phrase is always among them."""
    readings = [""]
    for char in query:
        if char.isspace():
            continue
        options = {
            item.lower()
            for item in pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda c: [c])[0]
        }
        readings = [head + option for head in readings for option in sorted(options)]
        if len(readings) > MAX_READINGS:
            return None
    return readings


def latin_query(query: str) -> str | None:
    """The query as pinyin to look for (``gang ping`` -> ``gangping``), or None when it has
    Chinese characters or anything but letters and digits."""
    latin = "".join(query.lower().split())
    if latin and not _CJK.search(query) and latin.isascii() and latin.isalnum():
        return latin
    return None


def _span_in(
    text: str, query: str, stored: tuple[str, str] | None = None
) -> tuple[int, int] | None:
    """Where the query matches in ``text``: as written, then through pinyin and initials.

    ``stored`` is the text's indexed pinyin and initials, when known: they tell which clause
    holds a pinyin match, so that only that clause's pinyin is worked out again."""
    for term in [query, *query.split()]:
        start = text.casefold().find(term.casefold())
        if start >= 0 and len(text.casefold()) == len(text):
            return start, start + len(term)
    latin = latin_query(query)
    if latin is None:
        return None
    if stored is not None:
        clause = _matching_clause(text, latin, *stored)
        if clause is not None:
            start, end = clause
            span = _pinyin_span(text[start:end], latin)
            if span is not None:
                return start + span[0], start + span[1]
    return _pinyin_span(text, latin)


# A pinyin query never spans punctuation; the index keeps punctuation as it is, so text and
# stored pinyin split into the same clauses.
_CLAUSE_BREAK = re.compile(r"[^\w\s]+|_+")


def _matching_clause(text: str, latin: str, pinyin: str, initials: str) -> tuple[int, int] | None:
    starts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text))]
    ends = [*(m.start() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    pinyin_clauses = _CLAUSE_BREAK.split(pinyin)
    initials_clauses = _CLAUSE_BREAK.split(initials)
    if not len(starts) == len(pinyin_clauses) == len(initials_clauses):
        return None
    for index, (full, first_letters) in enumerate(
        zip(pinyin_clauses, initials_clauses, strict=True)
    ):
        if latin in full or latin in first_letters:
            return starts[index], ends[index]
    return None


def _pinyin_span(text: str, latin: str) -> tuple[int, int] | None:
    # Pinyin is worked out a piece at a time, and only as far as the first match.
    syllables: list[str] = []
    for piece in range(0, len(text), HIGHLIGHT_PIECE):
        syllables += _syllables(text[piece : piece + HIGHLIGHT_PIECE])
        for readings in (syllables, [syllable[:1] for syllable in syllables]):
            found = "".join(readings).find(latin)
            if found >= 0:
                return _characters(readings, found, found + len(latin))
    return None


def _characters(readings: list[str], start: int, end: int) -> tuple[int, int]:
    """The characters whose readings cover the offsets start to end of the joined readings."""
    offset, first = 0, None
    for index, reading in enumerate(readings):
        reading_end = offset + len(reading)
        if first is None and reading_end > start:
            first = index
        if reading_end >= end:
            return first or 0, index + 1
        offset = reading_end
    return first or 0, len(readings)


def highlight(
    text: str,
    query: str,
    context: int = SNIPPET_CONTEXT,
    stored: tuple[str, str] | None = None,
) -> SafeString:
    """A short escaped excerpt of ``text`` around the first match, the match inside <mark>.
    Escaped by the standard library's ``html.escape``, which Django's ``escape`` wraps: forty
    excerpts a results page, without Django's check of each argument for lazy text."""
    text = " ".join(text.split())
    span = _span_in(text, query, stored)
    if span is None:
        excerpt = text[: context * 2]
        return mark_safe(escape(excerpt + ("…" if len(text) > len(excerpt) else "")))  # noqa: S308
    start, end = span
    left = max(0, start - context)
    right = min(len(text), end + context)
    return mark_safe(  # noqa: S308 - every piece is escaped
        ("…" if left else "")
        + escape(text[left:start])
        + "<mark>"
        + escape(text[start:end])
        + "</mark>"
        + escape(text[end:right])
        + ("…" if right < len(text) else "")
    )


@dataclass(frozen=True)
class Hit:
    entry: "SearchEntry"
    title: SafeString
    excerpt: SafeString
    dated: datetime.datetime | None


def hits(
    entries: list["SearchEntry"],
    query: str,
    dates: dict[tuple[str, int], datetime.datetime] | None = None,
) -> list[Hit]:
    """The page's results: title and excerpt marked, and the item's own date (``dates`` holds
    the ones known better now than when indexed, such as an event's next time slot)."""
    query = normalise(query)
    dates = dates or {}
    return [
        Hit(
            entry=entry,
            title=highlight(entry.title, query, context=200),
            excerpt=highlight(entry.text, query, stored=(entry.pinyin, entry.initials)),
            dated=dates.get((entry.kind, entry.object_id), entry.dated),
        )
        for entry in entries
    ]
