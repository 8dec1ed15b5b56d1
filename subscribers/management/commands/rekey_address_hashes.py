"""manage.py rekey_address_hashes [--from-secret-key [--apply [--leave-unmatched]]]

Without options: says which key the stored subscriber address hashes were made with, and fails when it is
not ADDRESS_HASH_KEY. With --from-secret-key: shows how hashes made with SECRET_KEY or SECRET_KEY_FALLBACKS
would be re-keyed to ADDRESS_HASH_KEY; --apply writes that, in one transaction, with web and worker stopped.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from subscribers.address_hash_keys import RekeyRefused, rekey_apply, rekey_plan, stored_keys


class Command(BaseCommand):
    help = "Check that stored address hashes match ADDRESS_HASH_KEY, or re-key those made with SECRET_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--from-secret-key", action="store_true",
                            help="plan re-keying hashes made with SECRET_KEY or SECRET_KEY_FALLBACKS to ADDRESS_HASH_KEY")
        parser.add_argument("--apply", action="store_true", help="write the re-keying (default: only show it)")
        parser.add_argument("--leave-unmatched", action="store_true",
                            help="re-key even though some suppressions match no stored address"
                            " (those people are no longer blocked)")

    def handle(self, *args, from_secret_key: bool, apply: bool, leave_unmatched: bool, **options):
        if (apply or leave_unmatched) and not from_secret_key:
            raise CommandError("--apply and --leave-unmatched need --from-secret-key")
        if not from_secret_key:
            return self._check()
        try:
            plan = rekey_plan()
            for line in plan.lines():
                self.stdout.write(line)
            if not apply:
                self.stdout.write("Nothing written (dry run): add --apply to re-key.")
                return
            rekey_apply(plan, leave_unmatched=leave_unmatched)
        except RekeyRefused as refused:
            raise CommandError(str(refused)) from None
        if plan.suppressions_unmatched:
            self.stderr.write(self.style.WARNING(
                f"{sum(plan.suppressions_unmatched.values())} suppressions were left under their old hash: "
                "if it was an old key, those people are no longer blocked."
            ))
        self.stdout.write(self.style.SUCCESS("Address hashes re-keyed to ADDRESS_HASH_KEY."))

    def _check(self) -> None:
        total, keys = stored_keys()
        mismatched = {name: n for name, n in keys.items() if name != "ADDRESS_HASH_KEY"}
        if mismatched:
            found = ", ".join(f"{n} with {name}" for name, n in sorted(mismatched.items()))
            raise CommandError(
                f"{sum(mismatched.values())} of {total} subscriber address hashes were not made with ADDRESS_HASH_KEY"
                f" ({found}): suppressions and erasures made with that key no longer match, so those people could be"
                " imported and mailed again. Set ADDRESS_HASH_KEY to the value of that key (it must never change)."
            )
        self.stdout.write(self.style.SUCCESS(f"All {total} subscriber address hashes match ADDRESS_HASH_KEY."))
