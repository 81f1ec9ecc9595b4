"""
What the OAuth server tells others about what it did (the audit trail listens). Every signal
carries `request`: a Django HttpRequest whose META is the caller's (address, user agent), or
None; `user_id` (None for a client acting for itself); `client`, the Application. None of them
carries a token, a code or a secret.
"""

from django.dispatch import Signal

# Tokens were issued, by a grant at /oauth/token or by a sign-in with another provider. Also:
# grant_type ("password", "authorization_code", "refresh_token", "client_credentials", or the
# provider's name such as "google-oauth2") and token_family (the refresh-token family's UUID: one
# per sign-in, kept by every refresh; None without a refresh token).
tokens_issued = Signal()

# A live token was revoked at /oauth/revoke, and with it its pair. Also: token_family.
token_revoked = Signal()

# A refresh token that had been rotated away or revoked came back, and its whole family was
# revoked (reuse protection, RFC 9700 section 4.14.2). Also: token_family.
refresh_token_reused = Signal()

# The user answered the consent page. Also: allowed (bool) and scopes (a list).
consent_decided = Signal()
