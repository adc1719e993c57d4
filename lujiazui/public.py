"""What the public pages show, for the page cache (caching): the models whose rows they read.

Logins, cases and their history, imports and API keys never reach a public page. Every model
named here bases its querysets on caching.versions.InvalidatingQuerySet (a system check says so),
so any write to it, bulk writes included, renews the pages that show it.
"""

PUBLIC_CONTENT = (
    "residents.Street",
    "residents.ResidentialArea",
    "residents.Compound",
    "residents.BuildingGroup",
    "residents.Person",
    "governance.Organization",
    "governance.Post",
    "governance.Agreement",
    "governance.Category",
    "governance.Indicator",
    "governance.IndicatorReading",
    "wishes.Wish",
    "brands.Brand",
    "brands.BrandAction",
    "brands.BrandActivity",
    "forums.Topic",
    "forums.Forum",
    "forums.Attendee",
    "forums.Speech",
    "forums.SpeechReview",
    "forums.Practice",
    "forums.NewsItem",
    "forums.Version",
    "forums.SearchEntry",
    "forums.Event",
    "doorstep.Station",
    "doorstep.Service",
    "doorstep.OpeningPeriod",
    "doorstep.ScheduleException",
)
# The time slots of events (the home page names each event's next slot), and the seats left in
# them: those change at every booking (`EventSession.cache_volatile_fields`), so only the pages
# that show them depend on them, and a rush of bookings does not empty the cache of the rest.
SESSIONS = ("forums.EventSession",)
SEATS = ("forums.EventSession.seats_taken", "forums.Booking")
# Opening hours pages say "open now": kept a minute at most.
OPENING_HOURS_SECONDS = 60
