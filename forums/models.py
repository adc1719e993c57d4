"""Forums, speeches, practices, news and events: built on the co-governance apps."""
