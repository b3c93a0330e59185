from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "apps.portal"
    label = "portal"

    def ready(self) -> None:
        # The body's retention period is set on its profile page (this app); the PDPA job and the
        # data-requests page below it read it through this registration (README "Architecture").
        # Imported here, not at the top: the app registry must be ready before models load.
        from apps.complaints.maps import tile_source_register
        from apps.complaints.retention import retention_periods_register
        from apps.portal.selectors import retention_periods, tile_url_for

        retention_periods_register(retention_periods)
        # Likewise the body's own tile server, for the map on the staff case page.
        tile_source_register(lambda body: tile_url_for(body=body))
