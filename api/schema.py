from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular_jsonapi.schemas import openapi
from drf_spectacular_jsonapi.schemas.plumbing import build_json_api_data_frame


class JsonApiAutoSchema(openapi.JsonApiAutoSchema):
    """
    drf-spectacular-jsonapi 0.6.2's schema, changed for one case it fails on (KeyError '$ref'):
    an unpaginated list, whose document is `{"data": [resource, …]}`, as the security page's lists are.
    """

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        if not (self._is_list_view(serializer) and not self._get_paginator()):
            return super()._get_response_for_code(serializer, status_code, media_types, direction)
        # drf-spectacular's own answer: an array of the resource objects, framed here as a document.
        response = AutoSchema._get_response_for_code(self, serializer, status_code, media_types, direction)
        for content in response.get("content", {}).values():
            content["schema"] = build_json_api_data_frame(content["schema"])
        return response


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """api.authentication.BearerTokenAuthentication in the document: an RFC 6750 bearer token, in the header."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An access token from /oauth/token. Reading needs the `read` scope, changing `write`.",
        }
