from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "apps.complaints"
    label = "complaints"

    def ready(self) -> None:
        # A merge of two bodies moves their cases: the step is this app's (tenants knows no case).
        from apps.complaints.services import bodies

        bodies.register()
