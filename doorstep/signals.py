"""What the doorstep services announce to the apps that read them, which doorstep never imports.

``services_changed`` (keyword ``service_ids``) is sent by the services that save or remove a
service or rename its station, inside their transaction; the site search in forums listens to it.
"""

from django.dispatch import Signal

services_changed = Signal()
