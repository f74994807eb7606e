"""No English left on the admin screens of the third-party apps, and the compiled catalogue is current."""

import gettext
import re
from pathlib import Path

from django.urls import reverse

CATALOGUE = Path(__file__).resolve().parent.parent / "config" / "locale" / "vi" / "LC_MESSAGES"


def _po_entries():
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        ids = re.findall(r'^msgid "(.*)"$', block, re.M)
        strs = re.findall(r'^msgstr(?:\[0\])? "(.*)"$', block, re.M)
        if ids and ids[0]:
            entries[ids[0].replace('\\"', '"')] = strs[0].replace('\\"', '"')
    return entries


def test_every_message_is_translated_and_compiled():
    entries = _po_entries()
    assert len(entries) > 90
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in entries.items():
        assert msgstr, f"chưa dịch: {msgid}"
        if "%(len)s" in msgid:
            assert compiled.ngettext(msgid, msgid, 2) == msgstr
        else:
            assert compiled.gettext(msgid) == msgstr, msgid


def test_admin_import_export_and_history_pages_are_vietnamese(world, login):
    client = login(world.admin)
    world.admin.is_superuser = True
    world.admin.save()
    page = client.get(reverse("admin:units_unit_import")).content.decode()
    assert "Tệp cần nhập" in page and "File to import" not in page
    page = client.get(reverse("admin:units_unit_changelist")).content.decode()
    assert "Nhập từ tệp" in page and ">Import<" not in page
    page = client.get(reverse("admin:assessment_period_history", args=[world.period.pk])).content.decode()
    assert "Change reason" not in page and "Changed by" not in page and "Người thay đổi" in page
    page = client.get(reverse("admin:assessment_period_changelist")).content.decode()
    assert "2.026" not in page and str(world.period.year) in page
