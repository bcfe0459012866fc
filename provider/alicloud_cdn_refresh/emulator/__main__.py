"""``python -m alicloud_cdn_refresh.emulator``: the ``cdn-refresh emulator`` command under this name.

The flags, defaults, help and exit statuses are those of ``cli/commands/emulator.py``; only this
entry point reaches up to the CLI, the emulator's modules never do.
"""

from __future__ import annotations

from alicloud_cdn_refresh.cli.app import run_program
from alicloud_cdn_refresh.cli.commands.emulator import PROGRAM_NAME, emulator_command

if __name__ == "__main__":
    run_program(emulator_command, prog_name=PROGRAM_NAME)
