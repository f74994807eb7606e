"""The annex's first page as the leader will see it, before publishing: rendered from the same
document and template as the real annex, nothing stored."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.template.loader import render_to_string

from .render import _context


def first_page_pdf(document):
    from weasyprint import HTML

    html = render_to_string("reports/annex.html", _context(document, "BẢN XEM TRƯỚC, CHƯA CÔNG BỐ"))
    rendered = HTML(string=html, base_url=None).render()
    return rendered.copy(rendered.pages[:1]).write_pdf(), len(rendered.pages)


def first_page_png(document, *, dpi=80):
    """PNG bytes of page 1 (pdftoppm from poppler-utils, installed by scripts/setup.sh) and the
    annex's page count."""
    pdf, pages = first_page_pdf(document)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "trang-1.pdf"
        source.write_bytes(pdf)
        program = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
        subprocess.run([program, "-png", "-r", str(dpi), "-singlefile", str(source),  # noqa: S603
                        str(Path(folder) / "trang-1")], check=True, capture_output=True, timeout=60)
        return (Path(folder) / "trang-1.png").read_bytes(), pages
