"""What the accounts app tells others about changes to an account (the audit trail listens)."""

from django.dispatch import Signal

# A user's password was set to a new one and saved (not a hash upgrade, not a new account). Argument: user.
password_changed = Signal()

# An active account was saved inactive. Argument: user.
account_deactivated = Signal()
