"""Django's command-line utility for the fixture project."""

import os
import sys


def main():
    """Run a management command with the clean settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probeproj.settings_clean")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
