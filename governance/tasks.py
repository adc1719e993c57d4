"""Work done in the background through django-tasks: with the immediate backend it runs when
enqueued, with a worker backend (``make run`` starts one) in the worker's process."""

from django_tasks import task

from governance.services.roster import roster_import_run


@task()
def run_roster_import(import_id: int) -> None:
    """Check or import an uploaded roster (``governance.services.roster.roster_import_queue``)."""
    roster_import_run(import_id=import_id)
