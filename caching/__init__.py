"""A small cache of rendered pages and values, on Django's public cache API.

- ``versions``: every model a kept page or value depends on has a version in the cache, taken
  from the clock. A write to the model (a save, a delete, a queryset ``update()``, a bulk write
  or a change of a many-to-many relation) invalidates it: it gets a new, later version, at once
  and again when the transaction commits. A version missing from the cache (evicted, or the
  cache restarted) is started from the clock too, so it can never equal a version something was
  kept under before.
- ``pages``: public pages kept whole for visitors without a session. Each page declares, with
  ``@cache_public_page``, the query parameters it reads and the models it shows; a view may say
  until when what it shows holds (``valid_until``).
- ``values``: ``cached()`` keeps any value (a rendered fragment, a JSON answer) under the
  versions of the models it shows and the parts that name it (the user's scope, the query).
"""
