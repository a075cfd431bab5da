"""`python manage.py worker`: the background worker (queue, outbox, schedule), one process.

It says it is alive every few seconds (so the tasks of a killed worker are run again), puts
back in the queue what a killed worker left running, starts the schedule's chain of ticks if
none is waiting, and then runs django-tasks-db's `db_worker` until it is stopped (Ctrl-C or
SIGTERM finish the current task first).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections, connection

from background import schedule
from background.models import WorkerHeartbeat

logger = logging.getLogger("background.worker")
DATABASE_RETRY_SECONDS = 3


class Command(BaseCommand):
    help = "Kör bakgrundsarbetaren: kön av uppgifter, utgående e-post och schemat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Sekunder mellan två tittar i en tom kö (1).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Kör det som ligger i kön och sluta sedan (för tester och engångskörningar).",
        )

    def handle(self, *args, interval: float, batch: bool, verbosity: int, **options):
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[-64:]
        stop = threading.Event()
        schedule.beat(worker_id)
        # A batch run is over in moments; a long-running worker says it is alive meanwhile.
        beating = threading.Thread(target=self._beat, args=(worker_id, stop), daemon=True)
        if not batch:
            beating.start()
        recovered = schedule.recover_abandoned_tasks()
        if recovered:
            self.stdout.write(f"{recovered} avbrutna uppgifter ligger i kön igen.")
        if not batch:
            schedule.ensure_tick()
        self.stdout.write(f"Arbetaren {worker_id} startar.")
        try:
            while True:
                try:
                    call_command(
                        "db_worker",
                        worker_id=worker_id,
                        interval=interval,
                        batch=batch,
                        reload=False,
                        startup_delay=False,
                        verbosity=verbosity,
                        stdout=self.stdout,
                    )
                    return
                except (OperationalError, InterfaceError) as error:
                    if batch:
                        raise
                    # The database is away: wait, and go on when it is back (no restart).
                    logger.warning(
                        "The worker lost the database; trying again in %d s: %r",
                        DATABASE_RETRY_SECONDS,
                        error,
                    )
                    close_old_connections()
                    time.sleep(DATABASE_RETRY_SECONDS)
                    with contextlib.suppress(OperationalError, InterfaceError):
                        # A tick cut off with the database may not have enqueued the next.
                        schedule.recover_abandoned_tasks()
                        schedule.ensure_tick()
        finally:
            stop.set()
            if beating.is_alive():
                beating.join(timeout=schedule.heartbeat_seconds() + 1)
            with contextlib.suppress(OperationalError, InterfaceError):
                WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

    @staticmethod
    def _beat(worker_id: str, stop: threading.Event) -> None:
        while not stop.wait(schedule.heartbeat_seconds()):
            try:
                schedule.beat(worker_id)
            except Exception:  # the database is away for a moment: beat again later
                pass
            finally:
                connection.close()
