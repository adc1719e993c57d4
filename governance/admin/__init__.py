"""The governance admin, by subject: the 1+3+N structure, cases, indicators."""

from governance.admin.cases import (
    ApiClientAdmin,
    CappedPaginator,
    CaseAdmin,
    CategoryAdmin,
    ManagedAreaFilter,
    OverdueFilter,
)
from governance.admin.indicators import IndicatorAdmin
from governance.admin.structure import (
    AgreementAdmin,
    OrganizationAdmin,
    PostAdmin,
    PostInline,
    RosterImportAdmin,
    TermStateFilter,
    TierFilter,
)

__all__ = [
    "AgreementAdmin",
    "ApiClientAdmin",
    "CappedPaginator",
    "CaseAdmin",
    "CategoryAdmin",
    "IndicatorAdmin",
    "ManagedAreaFilter",
    "OrganizationAdmin",
    "OverdueFilter",
    "PostAdmin",
    "PostInline",
    "RosterImportAdmin",
    "TermStateFilter",
    "TierFilter",
]
