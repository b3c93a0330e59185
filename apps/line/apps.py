from django.apps import AppConfig


class LineConfig(AppConfig):
    name = "apps.line"
    label = "line"
