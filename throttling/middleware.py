from .devices import set_device_cookie


class DeviceCookieMiddleware:
    """Sets the device cookie on the answer to a successful password sign-in (see devices.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        email = getattr(request, "signed_in_with_password", None)
        if email:
            set_device_cookie(response, email)
        return response
