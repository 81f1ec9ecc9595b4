from django.db import models


class DeviceFailures(models.Model):
    """
    Failed password checks made with one device cookie. OWASP gives each device cookie a lock of
    its own: after SIGNIN_FAILURE_LIMIT failures within SIGNIN_ACCOUNT_WINDOW it no longer exempts
    its browser from the account's budget, so a stolen cookie is worth a few guesses only.
    """

    device = models.CharField(max_length=32, unique=True)  # the random id in the cookie, not a secret
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField()

    class Meta:
        verbose_name = "failures of a device cookie"
        verbose_name_plural = "failures of device cookies"

    def __str__(self):
        return f"{self.failures} failures, the last at {self.last_failure:%Y-%m-%d %H:%M:%S}"
