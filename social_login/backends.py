"""The social-auth backends this server enables (listed in AUTHENTICATION_BACKENDS)."""

from social_core.backends import google


class GoogleOAuth2(google.GoogleOAuth2):
    """
    Changes where the profile is read: social-core hard-codes Google's userinfo URL (its
    authorization and token URLs are already settings), and a stand-in provider needs all three.
    """

    USERINFO_URL = "https://www.googleapis.com/oauth2/v3/userinfo"

    def user_data(self, access_token, *args, **kwargs):
        response = self.get_json(
            self.setting("USERINFO_URL", self.USERINFO_URL),
            headers={"Authorization": f"Bearer {access_token}"},
        )
        self.validate_email_verified(response)
        return response
