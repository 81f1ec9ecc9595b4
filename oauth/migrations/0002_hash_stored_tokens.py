"""
Access and refresh tokens issued before COMPLIANT_BCP_RFC9700_TOKEN_STORAGE keep working
but stop being stored: each row keeps only the SHA-256 checksum DOT looks it up by, and
its plain `token` column is emptied, as DOT stores tokens in that mode. Nobody is signed out.
"""

import hashlib

from django.db import migrations

BATCH = 1000


def hash_stored_tokens(apps, schema_editor):
    for model_name in ("AccessToken", "RefreshToken"):
        model = apps.get_model("oauth2_provider", model_name)
        rows = model.objects.using(schema_editor.connection.alias).exclude(token="").only("pk", "token")
        while batch := list(rows[:BATCH]):
            for row in batch:
                row.token_checksum = hashlib.sha256(row.token.encode()).hexdigest()
                row.token = ""
            model.objects.using(schema_editor.connection.alias).bulk_update(batch, ["token", "token_checksum"])


class Migration(migrations.Migration):
    dependencies = [
        ("oauth", "0001_sealedreplacement"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]

    # Backwards there is nothing to restore: the plain values are gone, and DOT finds
    # tokens by their checksum in either storage mode.
    operations = [migrations.RunPython(hash_stored_tokens, migrations.RunPython.noop)]
