"""orglife serve: the production WSGI server (gunicorn) with static files via whitenoise."""

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Collect static files, then serve orglife with gunicorn (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("ORGLIFE_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("ORGLIFE_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ORGLIFE_THREADS", "4")))
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        argv = [
            str(gunicorn),
            "orglife.config.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "20",
        ]
        self.stdout.write(f"serving on http://{options['bind']}/ (Ctrl+C to stop)")
        sys.stdout.flush()
        os.execv(argv[0], argv)  # noqa: S606 - replaces this process with gunicorn
