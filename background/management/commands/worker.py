"""`python manage.py worker`: the background worker (queue, outbox, schedule), one process.

It says it is alive every few seconds (so the tasks of a killed worker are run again), puts
back in the queue what a killed worker left running, starts the schedule's chain of ticks if
none is waiting, and then runs django-tasks-db's `db_worker` until it is stopped (Ctrl-C or
SIGTERM finish the current task first).
"""

from __future__ import annotations

import os
import socket
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from background import schedule
from background.models import WorkerHeartbeat


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
        finally:
            stop.set()
            if beating.is_alive():
                beating.join(timeout=schedule.heartbeat_seconds() + 1)
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
