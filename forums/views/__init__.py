"""Public and staff pages of the forums app: publishing (publishing.py), events (events.py)."""
