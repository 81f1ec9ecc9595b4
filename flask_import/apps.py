from django.apps import AppConfig


class FlaskImportConfig(AppConfig):
    name = "flask_import"
    verbose_name = "Import from the Flask design"
