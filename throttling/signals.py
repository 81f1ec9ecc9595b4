from django.dispatch import Signal

# Sent when a sign-in attempt is refused without checking its password. Arguments: request
# (the HttpRequest, or None), username (the email tried), reason (a short code), retry_after (seconds).
attempt_refused = Signal()
