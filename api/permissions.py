from oauth2_provider.contrib.rest_framework import permissions


class UserTokenHasReadWriteScope(permissions.TokenHasReadWriteScope):
    """
    DOT's read/write scope check, plus two things it leaves out: the token must belong to a
    user (a client-credentials token has no account to act on), and a missing scope gets
    the RFC 6750 `insufficient_scope` challenge on its 403.
    """

    def has_permission(self, request, view):
        if request.user is None:
            return False
        allowed = super().has_permission(request, view)
        if not allowed and request.auth is not None:
            request.oauth2_error = {
                "error": "insufficient_scope",
                "error_description": "The access token does not carry the scope this request needs.",
                "scope": " ".join(self.get_scopes(request, view)),
            }
        return allowed
