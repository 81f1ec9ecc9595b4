from rest_framework.negotiation import DefaultContentNegotiation


class JSONAPINegotiation(DefaultContentNegotiation):
    """
    Changes renderer selection only: the API has one renderer, JSON:API, and DRF's default
    parses the Accept header on every request just to pick it. Parser selection (and its
    415 for other request bodies) stays DRF's.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
