from django.db import models


class SealedReplacement(models.Model):
    """
    The token response that replaced a rotated refresh token, kept for the refresh grace
    period only and encrypted under a key derived from that old refresh token, which the
    database never holds (see oauth/grace.py).
    """

    token_checksum = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the rotated refresh token, as in its own row."
    )
    sealed = models.BinaryField(help_text="AES-GCM nonce and ciphertext of the JSON token response.")
    expires = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "sealed replacement"

    def __str__(self):
        return f"Sealed replacement #{self.pk}"
