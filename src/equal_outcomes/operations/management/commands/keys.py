from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = "Manage the encryption keys of special-category and vulnerability data."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="re-encrypt every stored value with a new key")
        rotate.add_argument(
            "--keep-old",
            action="store_true",
            help="keep the retired keys in the key ring (for example until backups made with them expire)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from equal_outcomes.core.crypto import key_file
        from equal_outcomes.operations.keys import rotate_keys

        result = rotate_keys(actor="system:keys", keep_old=options["keep_old"])
        self.stdout.write(
            f"Re-encrypted {result.values} values with key {result.new_key}. "
            f"Retired keys: {', '.join(result.retired) or 'none'}. Key ring: {key_file()}"
        )
