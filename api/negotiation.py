from rest_framework.exceptions import NotAcceptable, UnsupportedMediaType
from rest_framework.negotiation import DefaultContentNegotiation

JSON_API = "application/vnd.api+json"


def media_type_parameters(value):
    """
    A media range's type and the names of its media type parameters (RFC 9110 §12.5.1):
    Accept's weight `q` and the extension parameters after it are not media type parameters.
    """
    media_type, *parameters = value.split(";")
    names = []
    for parameter in parameters:
        name = parameter.split("=", 1)[0].strip().lower()
        if name == "q":
            break
        names.append(name)
    return media_type.strip().lower(), names


def json_api_ranges(accept):
    """The parameter names of each JSON:API media range in an Accept header."""
    ranges = (media_type_parameters(value) for value in accept.split(",") if value.strip())
    return [names for media_type, names in ranges if media_type == JSON_API]


def negotiation_error(content_type, accept):
    """The error JSON:API 1.0 asks for when media type parameters come with its media type, or None."""
    media_type, parameters = media_type_parameters(content_type)
    if media_type == JSON_API and parameters:
        # A request whose Content-Type is the JSON:API media type with parameters: 415.
        return UnsupportedMediaType(content_type)
    ranges = json_api_ranges(accept)
    if ranges and all(ranges):
        # An Accept whose every JSON:API media type has parameters: 406.
        return NotAcceptable(f"{JSON_API} without media type parameters is the only representation.")
    return None


class JSONAPINegotiation(DefaultContentNegotiation):
    """
    Changes renderer selection: the API has one renderer, JSON:API, and DRF's default
    parses the Accept header on every request just to pick it. JSON:API 1.0's 415 and 406
    rules for media type parameters are checked here instead (DRF ignores parameters when it
    matches media types), since this runs on every request, before authentication and parsing.
    Parser selection (and its 415 for other request bodies) stays DRF's.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        error = negotiation_error(request.META.get("CONTENT_TYPE", ""), request.META.get("HTTP_ACCEPT", ""))
        if error is not None:
            raise error
        return renderers[0], renderers[0].media_type
