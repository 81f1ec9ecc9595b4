import re

from whitenoise import middleware

# Vite names every file it fingerprints `<name>-<hash>.<ext>` under /assets/.
VITE_ASSET = re.compile(r"^/assets/.+-[\w-]{8,}\.\w+$")


class WhiteNoiseMiddleware(middleware.WhiteNoiseMiddleware):
    """
    Whitenoise, also caching the Ember build's fingerprinted assets for a year: it only
    recognises the hashes Django's static files storage writes.
    """

    def immutable_file_test(self, path, url):
        return bool(VITE_ASSET.match(url)) or super().immutable_file_test(path, url)
