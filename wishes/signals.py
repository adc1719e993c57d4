"""What the wishes announce to the apps built on them, which wishes never imports.

The wish services send ``wish_changed`` (keyword ``wish``) after every step, inside their
transaction; the site search in forums listens to it to keep the public wishes findable.
"""

from django.dispatch import Signal

wish_changed = Signal()
