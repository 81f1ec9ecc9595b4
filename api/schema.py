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


ERRORS = {
    "type": "object",
    "description": "A JSON:API error document.",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "status": {"type": "string"},
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                    "source": {"type": "object", "properties": {"pointer": {"type": "string"}}},
                },
            },
        }
    },
}

# The errors every operation may answer, by the condition under which it may.
COMMON_ERRORS = {
    "400": "A malformed request: an unknown query parameter, a body that is not a JSON:API document.",
    "401": "No access token, or an invalid, expired or revoked one (with a WWW-Authenticate challenge).",
    "403": "The access token lacks the scope this request needs, or belongs to no user.",
}
BODY_ERRORS = {
    "409": "The resource object's type (or id) is not the endpoint's.",
    "415": "The body is not application/vnd.api+json.",
}
SPECIFIC_ERRORS = {
    ("/api/users/{id}", "get"): {"404": "No such user that the caller may see."},
    ("/api/sessions/{id}", "delete"): {"404": "Not a live session of the caller."},
    ("/api/authorizations/{id}", "delete"): {"404": "Not an app the caller has allowed."},
    ("/api/sign-in-methods/{id}", "delete"): {
        "404": "The caller has no such linked account.",
        "409": "`last-sign-in-method`: no other way to sign in would remain; `password-not-removable`.",
    },
    ("/api/password-changes", "post"): {
        "422": "A wrong current password, or a new one Django's validators refuse (one error per message).",
        "429": "Throttling refuses further password checks for now (with Retry-After).",
    },
    ("/api/me", "patch"): {"400": "Invalid attribute values."},
}


def document_errors(result, generator, request, public):
    """A drf-spectacular postprocessing hook: the JSON:API error answers of each /api/ operation."""
    result["components"]["schemas"]["Errors"] = ERRORS
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            errors = dict(COMMON_ERRORS) if operation.get("security") else {"400": COMMON_ERRORS["400"]}
            if "requestBody" in operation:
                errors |= BODY_ERRORS
            if "page[number]" in {parameter["name"] for parameter in operation.get("parameters", [])}:
                errors["404"] = "No such page."
            errors |= SPECIFIC_ERRORS.get((path, method), {})
            for status, description in errors.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/vnd.api+json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
                    },
                )
    return result
