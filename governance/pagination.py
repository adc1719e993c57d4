"""Pagination of long lists that are counted at most once, and at most up to a cap."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told its total, so that a long list is not counted twice."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


class DepthCappedPaginator(CountedPaginator):
    """A counted paginator that pages through the first ``max_pages`` pages only.

    A deep page is an OFFSET: the database reads and skips every row before it, so page 2,000
    of a million cases costs many times page 1. Nobody reads that deep; past the cap the list
    asks to narrow the filters or sort the other way (``beyond``)."""

    def __init__(self, object_list, per_page, *, count: int, max_pages: int) -> None:
        super().__init__(object_list, per_page, count=min(count, per_page * max_pages))
        self.total = count
        self.max_pages = max_pages

    def page(self, number):
        """The page's rows in two steps: their ids first, which an index-only scan finds
        without reading the skipped rows, then those rows with their joins."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)

    @property
    def capped(self) -> bool:
        """Whether some of the matching rows lie past the last page listed."""
        return self.total > self.count

    def beyond(self, number) -> bool:
        """Whether the page asked for lies past the cap (it is then shown the last page)."""
        try:
            return self.capped and int(number) > self.num_pages
        except (TypeError, ValueError):
            return False
