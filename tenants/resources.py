"""django-import-export: the Django admin accepts the DLA registry CSV as published.

Rows go through the same parser as `rongthuk bodies import` (tenants.registry); a bad row is
reported with its line number and reason and the others are imported; new bodies are provisioned
after the import is confirmed. As in the CLI's import, a row with a new code that looks like a body
whose code left the registry (tenants.services.registry_upgrades_find) is not imported: it is an
upgrade, proposed on the preview page (`result.upgrade_proposals`) for the admin to confirm
(tenants.admin), and a row with a code some body had before its upgrade is never made again.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import ValidationError
from import_export import fields, resources

from apps.audit.services import audit_record
from tenants.models import BodyStatus, LocalBody, Province
from tenants.registry import Geography, RegistryRow, RowError, parse_rows
from tenants.services import (
    UpgradeProposal,
    _domains_ensure,
    bodies_provision_pending,
    registry_upgrades_find,
    schema_name_for,
)
from tenants.slugs import assign_slugs, base_slug

_FIELDS = ["dla_code", "kind", "name_th", "province", "district", "address", "moo", "postcode", "area_km2",
           "latitude", "longitude", "website"]


class LocalBodyResource(resources.ModelResource):
    province = fields.Field(attribute="province_id", column_name="province")
    district = fields.Field(attribute="district_id", column_name="district")

    class Meta:
        model = LocalBody
        import_id_fields = ["dla_code"]
        fields = _FIELDS
        export_order = _FIELDS
        skip_unchanged = True
        report_skipped = False

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        """Turn the published Thai columns into cleaned, validated values, one row per line."""
        if "รหัส อปท." not in (dataset.headers or []):
            return
        records = [dict(zip(dataset.headers, row, strict=False)) for row in dataset]
        cleaned = tablib.Dataset(headers=[*_FIELDS, "error"])
        items = list(parse_rows(records, Geography()))
        rows = [item for item in items if isinstance(item, RegistryRow)]
        self.upgrade_proposals, self.former_codes = registry_upgrades_find(
            rows, provinces={r.province_code for r in rows})
        self._held = {p.new_code for p in self.upgrade_proposals} | set(self.former_codes)
        for item in items:
            if isinstance(item, RowError):
                cleaned.append([item.dla_code or "0000000", *[""] * (len(_FIELDS) - 1), str(item)])
                continue
            cleaned.append([
                item.dla_code, item.kind, item.name_th, item.province_code, item.district_code, item.address,
                item.moo, item.postcode, item.area_km2 or "", item.latitude or "", item.longitude or "",
                item.website, "",
            ])
        dataset.dict = cleaned.dict
        dataset.headers = cleaned.headers
        self._new_codes: list[str] = []

    upgrade_proposals: list[UpgradeProposal]
    former_codes: list[str]

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        if row.get("error"):
            raise ValidationError(row["error"])

    def skip_row(self, instance: LocalBody, original: LocalBody, row: Any,
                 import_validation_errors: Any = None) -> bool:
        # An upgrade's new code waits for the admin's confirmation; a former code is never made again.
        if str(row.get("dla_code") or "") in getattr(self, "_held", set()):
            return True
        return bool(super().skip_row(instance, original, row, import_validation_errors))

    def before_save_instance(self, instance: LocalBody, row: Any, **kwargs: Any) -> None:
        if instance.pk is None:
            province = Province.objects.filter(code=instance.province_id).first()
            base = base_slug(dla_code=instance.dla_code, kind=instance.kind, name_th=instance.name_th,
                             province_name_en=province.name_en if province else "")
            taken = set(LocalBody.objects.filter(slug=base).values_list("slug", flat=True))
            instance.slug = assign_slugs([(instance.dla_code, base)], taken)[instance.dla_code]
            instance.schema_name = schema_name_for(instance.dla_code)
            instance.status = BodyStatus.PROVISIONING
            self._new_codes.append(instance.dla_code)

    def after_import(self, dataset: tablib.Dataset, result: Any, **kwargs: Any) -> None:
        result.upgrade_proposals = getattr(self, "upgrade_proposals", [])
        result.former_codes = getattr(self, "former_codes", [])
        codes = getattr(self, "_new_codes", [])
        if kwargs.get("dry_run"):
            return
        totals = {k: v for k, v in result.totals.items() if v}
        if not result.has_errors() and any(totals.get(k) for k in ("new", "update", "delete")):
            audit_record(kind="body.import", actor=kwargs.get("user"), target_type="tenants.localbody",
                         target_label=str(kwargs.get("file_name") or ""), changes={"totals": totals, "created": codes})
        if not codes:
            return
        _domains_ensure(LocalBody.objects.filter(dla_code__in=codes))
        bodies_provision_pending(workers=1, dla_codes=codes)
