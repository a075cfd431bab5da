"""The simulated visitors of the load test (locust), started by scripts/load/run.py.

PublicVisitor: the storefront, the directory with and without filters, an enterprise's page,
the services, the annual report's PDF. CaseOfficer: in a session opened before the run (a
distinct account each), searches /platser/ with filters, opens places. CaseOfficerLoggingIn:
five clients that log in, look at /platser/ and log out, again and again. HelloWorld: the
baseline, a Django view that does nothing, with no pause between requests.

Each simulated visitor comes through the reverse proxy the portal runs behind in production
(X-Forwarded-Proto: https, its own address in X-Forwarded-For, TRUSTED_PROXY_COUNT=1), so the
per-address login limits apply per visitor as they would to real people.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy

from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["LOAD_FACTS"]) as facts_file:
    FACTS = json.load(facts_file)

# The pause between a client's requests (LOAD_WAIT="1,5" seconds, set by run.py --wait).
WAIT = between(*(float(seconds) for seconds in os.environ.get("LOAD_WAIT", "1,5").split(",")))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_case_officers = itertools.count()
_logging_in = itertools.count()
_addresses = itertools.count(1)


class BehindTheProxy(DefaultCookiePolicy):
    """The proxy speaks HTTPS to the browser: the portal's Secure cookies are sent back."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class Visitor(FastHttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.cookiejar.set_policy(BehindTheProxy())
        n = next(_addresses)
        self.headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        }

    def get(self, path: str, name: str | None = None, **kwargs):
        return self.client.get(path, name=name or path, headers=self.headers, **kwargs)

    def post_form(self, path: str, data: dict, name: str) -> None:
        """The form page for its CSRF token, then the POST; a redirect (302) is success."""
        page = self.get(path)
        token = CSRF.search(page.text or "")
        headers = {**self.headers, "Origin": "https://" + self.host.split("://", 1)[1]}
        with self.client.post(
            path,
            data={"csrfmiddlewaretoken": token.group(1) if token else "", **data},
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{name}: {response.status_code} instead of a redirect")


class PublicVisitor(Visitor):
    weight = 7
    wait_time = WAIT

    @task(3)
    def home(self) -> None:
        self.get("/")

    @task(2)
    def directory(self) -> None:
        self.get("/foretag/")

    @task(1)
    def directory_filtered(self) -> None:
        kommun = random.choice(FACTS["municipalities"])
        self.get(f"/foretag/?kommun={kommun}", name="/foretag/?kommun=")

    @task(4)
    def enterprise(self) -> None:
        self.get(f"/foretag/{random.choice(FACTS['slugs'])}/", name="/foretag/[slug]/")

    @task(2)
    def services(self) -> None:
        self.get("/tjanster/")

    @task(1)
    def report_pdf(self) -> None:
        year = FACTS["report_year"]
        self.get(f"/rapporter/{year}.pdf", name="/rapporter/[year].pdf")


class CaseOfficer(Visitor):
    weight = 3
    wait_time = WAIT

    def on_start(self) -> None:
        super().on_start()
        n = next(_case_officers)
        self.email = FACTS["accounts"][n % len(FACTS["accounts"])]
        # Logged in earlier today (scripts/load/prepare.py): the browser still has its session.
        domain = self.host.split("://", 1)[1].split(":")[0]
        self.client.cookiejar.set_cookie(
            http.cookiejar.Cookie(
                version=0,
                name="sessionid",
                value=FACTS["sessions"][n % len(FACTS["sessions"])],
                port=None,
                port_specified=False,
                domain=domain,
                domain_specified=False,
                domain_initial_dot=False,
                path="/",
                path_specified=True,
                secure=True,
                expires=None,
                discard=False,
                comment=None,
                comment_url=None,
                rest={},
            )
        )

    @task(4)
    def places(self) -> None:
        self.get("/platser/")

    @task(8)
    def places_filtered(self) -> None:
        query = {
            "avtal": random.choice(["mina", "alla"]),
            "kommun": random.choice(FACTS["municipalities"]),
            "typ": random.choice(FACTS["placement_types"]),
        }
        if random.random() < 0.5:
            query["verksamhet"] = random.choice(FACTS["service_categories"])
        if random.random() < 0.5:
            query["lediga"] = "on"
        if random.random() < 0.3:
            query["sida"] = random.randint(2, 4)
        path = "/platser/?" + "&".join(f"{key}={value}" for key, value in query.items())
        with self.client.get(
            path, name="/platser/?filters", headers=self.headers, catch_response=True
        ) as response:
            # A page number past the last page shows the last page (200); 400 is a bad filter.
            if response.status_code != 200:
                response.failure(f"/platser/?filters: {response.status_code}")

    @task(3)
    def place(self) -> None:
        self.get(f"/platser/{random.choice(FACTS['places'])}/", name="/platser/[id]/")


class CaseOfficerLoggingIn(Visitor):
    """A few case officers log in, look at the places and log out, again and again: a login
    costs production's password hashing (PBKDF2, about a second of CPU here), so a steady few
    rather than a share of the 200."""

    fixed_count = 5
    wait_time = WAIT

    def on_start(self) -> None:
        super().on_start()
        n = next(_logging_in)
        self.email = FACTS["accounts"][-1 - n % len(FACTS["accounts"])]

    @task
    def log_in_look_and_log_out(self) -> None:
        self.post_form(
            "/konto/login/",
            {"login": self.email, "password": FACTS["password"]},
            name="POST /konto/login/",
        )
        self.get("/platser/")
        self.post_form("/konto/logout/", {}, name="POST /konto/logout/")


class HelloWorld(Visitor):
    """The baseline: what the same server does with a view that does nothing."""

    wait_time = constant(0)

    @task
    def hello(self) -> None:
        self.get("/load/hello/")
