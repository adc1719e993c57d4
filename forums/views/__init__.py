"""Public and staff pages of the forums app: forums and speeches (forums.py), versions, practices
and news (publishing.py), search (search.py), events (events.py)."""
