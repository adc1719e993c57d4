"""What governance announces to the apps built on it, which it never imports.

The wish services send ``wish_changed`` (keyword ``wish``) after every step, inside their
transaction; the site search in forums listens to it to keep the public wishes findable.
"""

from django.dispatch import Signal

wish_changed = Signal()
