from rest_framework.settings import api_settings
from rest_framework_json_api import renderers
from rest_framework_json_api.utils import undo_format_field_name


class JSONRenderer(renderers.JSONRenderer):
    """
    Changes how `fields[users]=first-name` is applied: djangorestframework-jsonapi 8.1's
    renderer compares the dasherized names with Python field names and drops them all;
    here they are undone first, exactly as its serializer mixin already does.
    """

    @classmethod
    def _filter_sparse_fields(cls, serializer, fields, resource_name):
        request = serializer.context.get("request")
        requested = request.query_params.get(f"fields[{resource_name}]") if request else None
        if requested is None:
            return fields
        names = {undo_format_field_name(name) for name in requested.split(",")}
        return {
            name: field
            for name, field in fields.items()
            if field.field_name in names or field.field_name == api_settings.URL_FIELD_NAME
        }
