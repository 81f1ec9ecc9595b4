from oauth2_provider.contrib.rest_framework import permissions


class TokenHasReadWriteScope(permissions.TokenHasReadWriteScope):
    """Adds what DOT leaves out: the RFC 6750 `insufficient_scope` challenge on a 403."""

    def has_permission(self, request, view):
        allowed = super().has_permission(request, view)
        if not allowed and request.auth is not None:
            request.oauth2_error = {
                "error": "insufficient_scope",
                "error_description": "The access token does not carry the scope this request needs.",
                "scope": " ".join(self.get_scopes(request, view)),
            }
        return allowed
