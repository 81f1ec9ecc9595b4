from django.db import models


class ImportedToken(models.Model):
    """
    A refresh token `import_flask_authlib` has brought over, by the SHA-256 of its value. A token
    is imported once only: after it has been rotated here (and `cleartokens` has deleted the old
    row), running the import again must not bring the spent token back to life.
    """

    token_checksum = models.CharField(max_length=64, unique=True)
    imported = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Imported token #{self.pk}"  # never the checksum: it identifies a live token
