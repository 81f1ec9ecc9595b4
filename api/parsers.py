from rest_framework.exceptions import ParseError
from rest_framework_json_api import parsers


class JSONParser(parsers.JSONParser):
    """
    djangorestframework-jsonapi 8.1's parser, changed to refuse with a 400 a resource object
    whose `attributes`, `relationships` or `meta` is not an object (JSON:API 1.0 §5.2), on
    which it would otherwise fail with a TypeError (a 500).
    """

    def parse_data(self, result, parser_context):
        data = result.get("data") if isinstance(result, dict) else None
        members = [(data, "attributes"), (data, "relationships"), (result, "meta")]
        for owner, name in members:
            if isinstance(owner, dict) and name in owner and not isinstance(owner[name], dict):
                raise ParseError(f"The resource object's `{name}` member must be an object.")
        return super().parse_data(result, parser_context)
