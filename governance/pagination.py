"""Pagination of long lists that are counted at most once, and at most up to a cap."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told its total, so that a long list is not counted twice."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count
