"""How official documents write dates and numbers."""

import datetime

from criteria.numbers import vn


def decree_date(place, date):
    """'Lào Cai, ngày 05 tháng 01 năm 2021': the day always in two digits, the month in two digits
    only for January and February (Nghị định 30/2020/NĐ-CP, so that 01 and 02 cannot be altered)."""
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def short_date(date):
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    return date.strftime("%d/%m/%Y")


def number(text, places=None):
    """A decimal string from the document in Vietnamese form ('2.60' -> '2,60')."""
    if text in (None, ""):
        return ""
    return vn(text, places if places is not None else (len(text.split(".")[1]) if "." in text else 0))
