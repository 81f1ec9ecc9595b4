from rest_framework.negotiation import BaseContentNegotiation


class JSONAPINegotiation(BaseContentNegotiation):
    """
    The API has one parser and one renderer, JSON:API. DRF's default negotiation parses the
    Accept header on every request only to pick that same renderer; this picks it directly
    (the pattern DRF's documentation gives for such APIs). Request bodies of another media
    type are still refused with 415 by the parser check.
    """

    def select_parser(self, request, parsers):
        return next((parser for parser in parsers if parser.media_type == request.content_type), None)

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
