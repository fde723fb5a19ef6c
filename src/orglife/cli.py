"""The ``orglife`` console command: Django's management utility, settings preset."""

import os
import sys


def main() -> None:
    """Run a management command with orglife's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orglife.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["orglife", *sys.argv[1:]])


if __name__ == "__main__":
    main()
