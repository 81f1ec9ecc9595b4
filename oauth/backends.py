import re

from oauth2_provider import oauth2_backends

STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class OAuthLibCore(oauth2_backends.OAuthLibCore):
    """
    Changes how a URL with a stray `%` (`?x=%ZZ`) reaches oauthlib: escaped as `%25`, the way
    Django itself reads it, instead of raising "Invalid hex encoding" as a 500.
    """

    def _get_escaped_full_path(self, request):
        return STRAY_PERCENT.sub("%25", super()._get_escaped_full_path(request))
