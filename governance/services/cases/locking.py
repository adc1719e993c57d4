"""The lock the services that change a case take on its row."""

from governance.models import Case


def lock_case(case: Case) -> Case:
    """The case read again with its area and street, its row locked until the transaction ends."""
    return Case.objects.select_for_update().select_related("area", "street").get(pk=case.pk)
