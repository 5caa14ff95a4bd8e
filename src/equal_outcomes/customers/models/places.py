"""The place tree: areas, estates or patches, blocks and properties. Access scoping follows it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="areas",
        verbose_name=_("housing officers"),
        help_text=_("Housing officers who manage this area's customers."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Estate(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="estates")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Block(models.Model):
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="blocks")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Property(models.Model):
    property_ref = models.CharField(_("property reference"), max_length=32, unique=True)
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="properties")
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, null=True, blank=True, related_name="properties"
    )
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=8)
    lsoa_code = models.CharField(_("LSOA code"), max_length=9, blank=True)
    rural_urban = models.CharField(
        _("rural-urban class"), max_length=2, blank=True, help_text=_("ONS 2011 code, e.g. C1")
    )
    uprn = models.CharField(_("UPRN"), max_length=12, blank=True)
    local_authority = models.CharField(_("local authority"), max_length=120, blank=True)

    class Meta:
        ordering = ["property_ref"]
        verbose_name_plural = "properties"

    def __str__(self) -> str:
        return f"{self.address}, {self.postcode}"
