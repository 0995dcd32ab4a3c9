"""Create one demo account per role (see campus_portal/accounts/demo_accounts.py)."""

from django.core.management.base import BaseCommand

from campus_portal.accounts.demo_accounts import demo_accounts_load


class Command(BaseCommand):
    help = "Create demo sign-in accounts (one per role) linked to demo warehouse persons."

    def handle(self, *args, **options) -> None:
        password, accounts = demo_accounts_load()
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {password}):"))
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.description}")
        self.stdout.write("Staff accounts are asked to set up an authenticator app first.")
