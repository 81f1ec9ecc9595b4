import logging


class DropRefusedSignIns(logging.Filter):
    """
    Leaves out django.request's warning about each refused sign-in (a 429: throttling gives no other).
    During a guessing storm it would be one line per guess, as many as the guesser sends; the audit
    trail records the refusals (once a minute per address, email tried and reason) and the metrics
    count every one (authsite_throttle_refusals_total).
    """

    def filter(self, record):
        return getattr(record, "status_code", None) != 429
