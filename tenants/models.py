"""The public schema: geography, the registry of local bodies (the tenants) and their domains."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from apps.ui.thai import localised_name


class Province(models.Model):
    code = models.CharField(_("รหัสจังหวัด (DOPA)"), max_length=2, primary_key=True)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=100)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=100)

    class Meta:
        verbose_name = _("จังหวัด")
        verbose_name_plural = _("จังหวัด")
        ordering = ["name_th"]

    def __str__(self) -> str:
        return localised_name(self)


class District(models.Model):
    code = models.CharField(_("รหัสอำเภอ (DOPA)"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=100)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=100)

    class Meta:
        verbose_name = _("อำเภอ")
        verbose_name_plural = _("อำเภอ")
        ordering = ["name_th"]

    def __str__(self) -> str:
        return localised_name(self)


class Subdistrict(models.Model):
    code = models.CharField(_("รหัสตำบล (DOPA)"), max_length=6, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=100)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=100)
    postcodes = models.CharField(_("รหัสไปรษณีย์"), max_length=40, blank=True)
    # No outlines are published: the subdistrict's point is the office of the body named after it
    # (the registry crosswalk's guess), none when there is no such body (tenants.locate).
    latitude = models.FloatField(_("ละติจูด"), null=True, blank=True)
    longitude = models.FloatField(_("ลองจิจูด"), null=True, blank=True)

    class Meta:
        verbose_name = _("ตำบล")
        verbose_name_plural = _("ตำบล")
        ordering = ["name_th"]
        # The nearest subdistrict to a point: a GiST k-nearest-neighbour scan (core PostgreSQL).
        indexes = [GistIndex(Func(F("longitude"), F("latitude"), function="point", output_field=models.Field()),
                             name="subdistrict_point", condition=Q(latitude__isnull=False))]

    def __str__(self) -> str:
        return localised_name(self)


class BodyKind(models.TextChoices):
    PAO = "pao", _("องค์การบริหารส่วนจังหวัด (อบจ.)")
    CITY = "city", _("เทศบาลนคร")
    TOWN = "town", _("เทศบาลเมือง")
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("เทศบาลตำบล")
    SAO = "sao", _("องค์การบริหารส่วนตำบล (อบต.)")
    SPECIAL = "special", _("ท้องถิ่นรูปแบบพิเศษ")
    PLATFORM = "platform", _("แพลตฟอร์ม (ไม่ใช่หน่วยงาน)")


class BodyStatus(models.TextChoices):
    PROVISIONING = "provisioning", _("กำลังจัดเตรียม")
    ACTIVE = "active", _("เปิดให้บริการ")
    SUSPENDED = "suspended", _("ระงับชั่วคราว")
    ARCHIVED = "archived", _("ปิดถาวร")


# Bangkok is not administered by DLA and has no DLA code. It gets 1100000: DLA codes start with
# 2–6 (the body type), so a leading 1 can never collide; 10 is Bangkok's DOPA province code.
BANGKOK_CODE = "1100000"
# The row django-tenants needs for the public schema; it is not a body.
PLATFORM_CODE = "0000000"


class LocalBodyQuerySet(models.QuerySet["LocalBody"]):
    def bodies(self) -> LocalBodyQuerySet:
        """Real local bodies: everything except the platform's own public-schema row."""
        return self.exclude(kind=BodyKind.PLATFORM)

    def live(self) -> LocalBodyQuerySet:
        return self.bodies().filter(status=BodyStatus.ACTIVE)


class LocalBody(TenantMixin):
    dla_code = models.CharField(_("รหัส อปท."), max_length=7, unique=True)
    kind = models.CharField(_("ประเภท อปท."), max_length=32, choices=BodyKind.choices)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    slug = models.SlugField(_("ชื่อย่อในโดเมน"), max_length=63, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    address = models.CharField(_("ที่ตั้งสำนักงานเลขที่"), max_length=200, blank=True)
    moo = models.CharField(_("หมู่ที่"), max_length=20, blank=True)
    postcode = models.CharField(_("รหัสไปรษณีย์"), max_length=5, blank=True)
    area_km2 = models.DecimalField(_("ขนาดพื้นที่ (ตร.กม.)"), max_digits=9, decimal_places=2, null=True, blank=True)
    latitude = models.DecimalField(_("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True)
    website = models.CharField(_("เว็บไซต์"), max_length=200, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=16, choices=BodyStatus.choices, default=BodyStatus.PROVISIONING
    )
    # Which tenant migrations the schema has (a digest of the ledger); `bodies migrate` finds the
    # bodies with pending migrations in one query by comparing it with the code's digest.
    migration_state = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    # An upgrade (อบต. → เทศบาลตำบล) gives the body a new DLA code; the old one is kept so that a
    # registry import never makes it again, and its domains answer with a redirect.
    previous_dla_code = models.CharField(_("รหัส อปท. เดิม"), max_length=7, blank=True)
    # Set when the body was merged into another (tenants.lifecycle): its cases live there now.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("รวมเข้ากับ"))

    # Schemas are made by tenants.provisioning (a clone of the template), never by save().
    auto_create_schema = False
    auto_drop_schema = False

    objects = LocalBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("องค์กรปกครองส่วนท้องถิ่น")
        verbose_name_plural = _("องค์กรปกครองส่วนท้องถิ่น")
        ordering = ["dla_code"]
        indexes = [models.Index(fields=["district", "status"], name="body_district_status")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        prefixes = {
            BodyKind.PAO: "องค์การบริหารส่วนจังหวัด",
            BodyKind.CITY: "เทศบาลนคร",
            BodyKind.TOWN: "เทศบาลเมือง",
            BodyKind.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
            BodyKind.SAO: "องค์การบริหารส่วนตำบล",
        }
        prefix = prefixes.get(BodyKind(self.kind), "") if self.kind else ""
        if prefix and not self.name_th.startswith(prefix):
            return f"{prefix}{self.name_th}"
        return self.name_th


_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def domain_clean(value: str) -> str:
    """A host name as the domain table keeps it (lower case, no trailing dot, IDNA for Thai names),
    or ValidationError in Thai: not a host name, an IP address, or a name under the platform's own
    domain (those are the registry's `<slug>.` and `<code>.` names)."""
    name = (value or "").strip().lower().rstrip(".")
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValidationError(_("ชื่อโดเมนไม่ถูกต้อง")) from error
    labels = name.split(".")
    if len(name) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels) \
            or labels[-1].isdigit():
        raise ValidationError(_("ชื่อโดเมนไม่ถูกต้อง"))
    platform = settings.PLATFORM_DOMAIN.lower()
    if name == platform or name.endswith(f".{platform}"):
        raise ValidationError(_("โดเมนย่อยของ %(domain)s เป็นของระบบ ใช้เป็นโดเมนของหน่วยงานเองไม่ได้")
                              % {"domain": platform})
    return name


class Domain(DomainMixin):
    # A host kept for old links (the slug and code before an upgrade, a merged body's hosts): it
    # answers every request with a permanent redirect to the same path on the body's primary domain.
    redirect = models.BooleanField(_("เปลี่ยนเส้นทางไปโดเมนหลัก"), default=False)

    class Meta:
        verbose_name = _("โดเมน")
        verbose_name_plural = _("โดเมน")


class DomainClaim(models.Model):
    """A domain a body's admin added on its staff pages (tenants.domains), with the token that
    proves the name reaches this platform. Until the token is found at the name's well-known
    address the claim is pending and the name is not served (no Domain row); once found, the name
    becomes one of the body's domains. A pending name is held: no other body can claim it."""

    body = models.ForeignKey(LocalBody, on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(_("โดเมน"), max_length=253, unique=True)
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Why the last check failed (shown to the body's admin), in the words of the checker.
    last_problem = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("คำขอใช้โดเมนของหน่วยงาน")
        verbose_name_plural = _("คำขอใช้โดเมนของหน่วยงาน")

    def __str__(self) -> str:
        return self.domain


class WorkerProbe(models.Model):
    """A round trip through the broker and a worker, sent inside a body: proves tasks run, and run
    in the schema they were sent from (`rongthuk health worker`)."""

    token = models.UUIDField(primary_key=True)
    sent_from_schema = models.CharField(max_length=63)
    ran_in_schema = models.CharField(max_length=63, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    ran_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.token)


class HostCacheVersion(models.Model):
    """One row whose version a database trigger bumps in the same transaction as any change to
    bodies or domains (a save, a bulk update, the admin, raw SQL alike). Every process compares it
    with the version its host cache was filled under, at most every TENANT_CACHE_CHECK_SECONDS,
    so a suspension reaches every web process that promptly, not after TENANT_CACHE_TTL."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)


class PageVersion(models.Model):
    """What a body's public pages show, as a number: database triggers bump a body's row (scope =
    its schema) in the same transaction as a change to its public profile or its published
    agreement, and the national row (scope "") with the framework, the national categories and
    the geography. The citizen pages' shared cache keys each page by these numbers
    (apps.portal.page_cache), so a cached page is never older than what it shows."""

    scope = models.CharField(max_length=63, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope or 'national'}: {self.version}"


class ServiceAreaSource(models.TextChoices):
    REGISTRY = "registry", _("คาดจากทะเบียน (ชื่อตำบลตรงกับชื่อหน่วยงาน)")
    BODY = "body", _("หน่วยงานกำหนดเอง")


class ServiceArea(models.Model):
    """A subdistrict (ตำบล) a body serves: all of it, or only the หมู่ที่ listed. Public data (no
    person in it), in the public schema so the platform's finder, the national Open311 intake and
    the wrong-body transfer read it in one query. Seeded from the registry crosswalk as a best
    guess (tenants.service_areas), then corrected by the body's admin; a body archive carries its
    rows in the manifest (tenants.archive)."""

    body = models.ForeignKey(LocalBody, on_delete=models.CASCADE, related_name="+")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("ตำบล"))
    # The หมู่ที่ served; empty: the whole subdistrict.
    moo = ArrayField(models.PositiveSmallIntegerField(), blank=True, default=list, verbose_name=_("หมู่ที่"))
    source = models.CharField(_("ที่มา"), max_length=16, choices=ServiceAreaSource.choices,
                              default=ServiceAreaSource.REGISTRY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("พื้นที่ให้บริการ")
        verbose_name_plural = _("พื้นที่ให้บริการ")
        constraints = [models.UniqueConstraint(fields=["body", "subdistrict"], name="service_area_body_subdistrict")]
        indexes = [models.Index(fields=["subdistrict"], name="service_area_subdistrict")]

    def __str__(self) -> str:
        return f"{self.body_id}: {self.subdistrict_id} {self.moo or ''}"
