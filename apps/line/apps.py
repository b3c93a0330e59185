from django.apps import AppConfig


class LineConfig(AppConfig):
    name = "apps.line"
    label = "line"

    def ready(self) -> None:
        # The outbox and the PDPA job (apps.complaints, below this app) reach LINE followers through
        # this registration (README "Architecture"). Imported here: models load after the registry.
        from apps.complaints.notifications import citizen_channel_register
        from apps.line.channel import LINE

        citizen_channel_register(LINE)
