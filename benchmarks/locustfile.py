"""Locust users for benchmarks/load_forms.py: unit staff saving their forms.

Each simulated user is its own unit's staff (already logged in), opens the form and keeps
saving it the way autosave does (a figure and a note change each time).
"""

import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, task

from tests.pages import page_fields

SESSIONS = sorted(json.loads(Path(os.environ["LOAD_SESSIONS"]).read_text()).items())
NUMBERS = itertools.count()


class UnitStaff(HttpUser):
    # A person types between saves; the page autosaves every 30 s. 2–8 s is a busier day than that.
    wait_time = between(2, 8)

    def on_start(self):
        """Take a session that load_forms.py opened for this user (logins are not what is measured:
        password hashing is slow on purpose), then open the form from the home page."""
        self.username, key = SESSIONS[next(NUMBERS)]
        self.client.cookies.set("sessionid", key, domain=urlparse(self.host).hostname, path="/")
        home = self.client.get("/", name="trang chính").text
        self.form_url = re.search(r'href="(/phieu/\d+/)"', home).group(1)
        self.open_form()

    def open_form(self):
        html = self.client.get(self.form_url, name="mở phiếu").text
        self.fields = page_fields(html)
        self.denominator = int(self.fields["f__incoming_docs"].replace(".", ""))

    @task
    def save(self):
        data = dict(self.fields, action="save", csrfmiddlewaretoken=self.client.cookies.get("csrftoken"))
        data["f__incoming_in_software"] = str(random.randint(0, self.denominator))
        data["n__I.1"] = f"Cập nhật lần {random.randint(1, 10**6)}"
        with self.client.post(self.form_url, data, headers={"X-Autosave": "1", "Referer": self.host + self.form_url},
                              name="lưu phiếu", catch_response=True) as response:
            result = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
            if response.status_code == 200 and result.get("saved"):
                for code, version in result.get("versions", {}).items():
                    self.fields[f"v__{code}"] = str(version)
                self.fields.update({"f__incoming_in_software": data["f__incoming_in_software"],
                                    "n__I.1": data["n__I.1"]})
                response.success()
            else:
                response.failure(f"{response.status_code}: {result.get('errors') or response.text[:200]}")
