"""Every URL of the project, for every kind of visitor: the status code they get.

The URLs come from the URL configuration itself (get_resolver, walked recursively), so a new
URL that has no line in EXPECTED below fails `test_every_url_has_an_expectation`, and the
per-visitor tests check each URL against its line. Parameters get sample values from the
fixtures: the objects belong to enterprise A, whose staff member is "staff_a"; "staff_b"
works for enterprise B and must never reach A's requests, placements or admin rows.

Admin users (staff, coordinator) are logged in as after a real login with password and
authenticator code: the admin needs the second factor (asfnet.admin_site), and without it
every admin page sends them to set one up, which tests/accounts covers. The enterprises' pages
under /platser/ (requests and placements) need it too: the last test below walks them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import CASE_OFFICER, COORDINATOR, ENTERPRISE_STAFF
from background.models import JobRun, OutboxMail, WorkerHeartbeat
from enterprises.models import Enterprise, EnterpriseAlias, NetworkProfile
from placements import services
from placements.models import PlacementRequest, PlaceReminder
from reports import versions
from tests import factories
from tests.accounts.helpers import give_totp, log_in_with_second_factor

pytestmark = pytest.mark.django_db

ANONYMOUS, OFFICER, STAFF_A, STAFF_B, COORD = (
    "anonymous",
    "case officer",
    "staff of A",
    "staff of B",
    "coordinator",
)
VISITORS = [ANONYMOUS, OFFICER, STAFF_A, STAFF_B, COORD]


# --- The URL configuration, walked --------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # the patterns joined, e.g. "platser/<int:pk>/"
    name: str | None  # with its namespace, e.g. "placements:place"


def walk(patterns, prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            routes.append(Route(prefix + str(pattern.pattern), name))
    return routes


ROUTES = walk(get_resolver().url_patterns)


# --- What each visitor should get ---------------------------------------------------------

# A redirect: (302, the path it leads to) or (302, "*the end of that path").
LOGIN = (302, "/konto/login/")
ADMIN_LOGIN = (302, "/admin/login/")
ADMIN_INDEX = (302, "/admin/")  # Django admin's answer for an object outside the visitor's rows
TO_CHANGE_PAGE = (302, "*/change/")  # /admin/<app>/<model>/<id>/ leads on to the change page


def everyone(expected) -> dict:
    return dict.fromkeys(VISITORS, expected)


def expect(anonymous, officer, staff_a, staff_b, coordinator) -> dict:
    return dict(zip(VISITORS, [anonymous, officer, staff_a, staff_b, coordinator], strict=True))


# Admin rules for staff (accounts.roles and the */admin.py scoping): which models they work with
# and what they may do there. Rows of enterprise A are theirs for staff_a, not for staff_b.
STAFF_ADMIN_MODELS = {
    # model: (may add, may delete, rows limited to their own enterprises); they may view all
    "enterprises/enterprise": (False, False, True),
    "enterprises/unit": (True, True, True),
    "enterprises/legalentity": (False, False, True),
    "enterprises/servicecategory": (False, False, False),
    "enterprises/adaptation": (False, False, False),
    "placements/trainingplace": (True, True, True),
    "placements/placement": (True, False, True),
    "placements/placementrequest": (False, False, True),
    "placements/placementtype": (False, False, False),
    "placements/agreement": (False, False, True),
}


# Rows staff never work with, but whose list is still cut to their own enterprises: the
# history page looks the row up before it asks about permissions.
STAFF_SCOPED_ONLY = {"enterprises/enterprisealias"}


def staff_admin(model: str, view: str, who: str):
    """What enterprise staff get on one admin page of a model."""
    if view == "object":
        return TO_CHANGE_PAGE  # the change page answers, below
    if model not in STAFF_ADMIN_MODELS:
        if view == "history" and who == STAFF_B and model in STAFF_SCOPED_ONLY:
            return ADMIN_INDEX
        return 403
    may_add, may_delete, scoped = STAFF_ADMIN_MODELS[model]
    if view == "changelist":
        return 200
    if view == "add":
        return 200 if may_add else 403
    if view == "delete" and not may_delete:
        return 403
    if scoped and who == STAFF_B:
        return ADMIN_INDEX
    return 200


# One old version in a model's change history (django-simple-history): the coordinator only.
HISTORY_VERSION = "^([^/]+)/history/([^/]+)/$"


def admin_model_expectations(route: str) -> dict | None:
    parts = route.split("/")
    if len(parts) > 3 and parts[0] == "admin" and route.endswith(HISTORY_VERSION):
        return expect(ADMIN_LOGIN, ADMIN_LOGIN, 403, 403, 200)
    if len(parts) < 4 or parts[0] != "admin" or "^" in route or "(?P" in route:
        return None
    model = f"{parts[1]}/{parts[2]}"
    rest = "/".join(parts[3:])
    view = {
        "": "changelist",
        "add/": "add",
        "<path:object_id>/change/": "change",
        "<path:object_id>/history/": "history",
        "<path:object_id>/delete/": "delete",
        "<path:object_id>/": "object",
        "<id>/password/": "password",
    }.get(rest)
    if view is None:
        return None  # a kind of admin page this table does not know yet: say who may open it
    coordinator = coordinator_admin(model, view)
    return expect(
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        staff_admin(model, view, STAFF_A),
        staff_admin(model, view, STAFF_B),
        coordinator,
    )


# Models registered by Django and allauth themselves, left to superusers (tests/admin).
SUPERUSER_ONLY_MODELS = {"sites/site", "account/emailaddress", "mfa/authenticator"}
# The coordinator adds the network's one row only while there is none (enterprises/admin.py).
# The worker's records (background/admin.py) are written by the worker only; the outbox keeps
# every mail until it is pruned, so the coordinator can see it and send it again.
COORDINATOR_CANNOT_ADD = {
    "enterprises/networkprofile",
    "background/outboxmail",
    "background/jobrun",
    "background/workerheartbeat",
}
COORDINATOR_CANNOT_DELETE = {"enterprises/networkprofile", "background/outboxmail"}


def coordinator_admin(model: str, view: str):
    if view == "object":
        return TO_CHANGE_PAGE  # the change page answers, below
    if model in SUPERUSER_ONLY_MODELS:
        return 403
    if view == "add" and model in COORDINATOR_CANNOT_ADD:
        return 403
    if view == "delete" and model in COORDINATOR_CANNOT_DELETE:
        return 403
    return 200


# Exact routes; a key ending in "*" covers every route that starts with what comes before it.
EXPECTED: dict[str, dict] = {
    # The public pages: open to everyone.
    "": everyone(200),
    "foretag/": everyone(200),
    "foretag/<slug:slug>/": everyone(200),
    "tjanster/": everyone(200),
    "om/": everyone(200),
    "tillganglighet/": everyone(200),
    "integritet/": everyone(200),
    "kontakt/": everyone(200),
    "kontakt/tack/": everyone(200),
    "sitemap.xml": everyone(200),
    "robots.txt": everyone(200),
    "healthz": everyone(200),
    "rapporter/": everyone(200),
    "rapporter/<int:year>/": everyone(200),
    "rapporter/<int:year>.pdf": everyone(200),
    "rapporter/<int:year>/statistik.csv": everyone(200),
    "rapporter/<int:year>/v<int:number>/": everyone(200),
    "rapporter/<int:year>/v<int:number>.pdf": everyone(200),
    # The training-place browser: case officers and the coordinator.
    "platser/": expect(LOGIN, 200, 403, 403, 200),
    "platser/export.csv": expect(LOGIN, 200, 403, 403, 200),
    "platser/<int:pk>/": expect(LOGIN, 200, 403, 403, 200),
    # Only a case officer asks for a seat (the coordinator has no organisation).
    "platser/<int:pk>/forfragan/": expect(LOGIN, 200, 403, 403, 403),
    "platser/mina-forfragningar/": expect(LOGIN, 200, 403, 403, 403),
    # The answers: staff of the place's enterprise and the coordinator; others' ids are 404.
    "platser/forfragningar/": expect(LOGIN, 403, 200, 200, 200),
    "platser/forfragningar/<int:pk>/": expect(LOGIN, 403, 200, 404, 200),
    "platser/forfragningar/<int:pk>/anta/": expect(LOGIN, 403, 302, 404, 302),
    "platser/forfragningar/<int:pk>/avboj/": expect(LOGIN, 403, 302, 404, 302),
    "platser/forfragningar/<int:pk>/vantelista/": expect(LOGIN, 403, 302, 404, 302),
    # Undoing an accept (made by staff of A): the one who accepted and A's staff only.
    "platser/forfragningar/<int:pk>/angra-antagning/": expect(LOGIN, 403, 302, 404, 403),
    "platser/placeringar/": expect(LOGIN, 403, 200, 200, 200),
    "platser/placeringar/<int:pk>/avsluta/": expect(LOGIN, 403, 200, 404, 200),
    # A reminder mail's link: the signed token is the authority, whoever opens it.
    "platser/bekrafta/<str:token>/": everyone(200),
    # The admin's own pages.
    "admin/": expect(ADMIN_LOGIN, ADMIN_LOGIN, 200, 200, 200),
    # One login for everything: the admin's login page leads to allauth's, or in when
    # already allowed; a logged-in case officer is told the admin is not for them.
    "admin/login/": expect(LOGIN, 403, ADMIN_INDEX, ADMIN_INDEX, ADMIN_INDEX),
    "admin/logout/": expect(ADMIN_INDEX, ADMIN_INDEX, 405, 405, 405),
    "admin/password_change/": expect(ADMIN_LOGIN, ADMIN_LOGIN, 200, 200, 200),
    "admin/password_change/done/": expect(ADMIN_LOGIN, ADMIN_LOGIN, 200, 200, 200),
    "admin/autocomplete/": expect(ADMIN_LOGIN, ADMIN_LOGIN, 200, 200, 200),
    "admin/jsi18n/": expect(ADMIN_LOGIN, ADMIN_LOGIN, 200, 200, 200),
    # "View on site" for enterprise A leads to its public page, for those who may see it.
    "admin/r/<path:content_type_id>/<path:object_id>/": expect(
        ADMIN_LOGIN, ADMIN_LOGIN, 302, 302, 302
    ),
    "admin/^(?P<app_label>*": expect(ADMIN_LOGIN, ADMIN_LOGIN, 200, 200, 200),
    # Register extract and erasure per participant code (placements.privacy_admin).
    "admin/placements/placement/registerutdrag/": expect(ADMIN_LOGIN, ADMIN_LOGIN, 403, 403, 200),
    # Publishing a report and making next year's draft (reports/admin.py): the coordinator.
    "admin/reports/annualreport/<path:object_id>/publicera/": expect(
        ADMIN_LOGIN, ADMIN_LOGIN, 403, 403, 200
    ),
    "admin/reports/annualreport/<path:object_id>/nasta-ar/": expect(
        ADMIN_LOGIN, ADMIN_LOGIN, 403, 403, 200
    ),
    "admin/(?P<url>.*)$": expect(ADMIN_LOGIN, ADMIN_LOGIN, 404, 404, 404),
    # django-allauth: the login pages for the logged out, the account pages for the logged in.
    "konto/login/": expect(200, 302, 302, 302, 302),
    "konto/logout/": expect(302, 200, 200, 200, 200),
    "konto/inactive/": everyone(200),
    "konto/signup/": expect(200, 302, 302, 302, 302),
    "konto/reauthenticate/": expect(LOGIN, 200, 200, 200, 200),
    # Those with an authenticator app confirm with its code instead of one sent by mail.
    # Reauthentication by a code in a mail is off (ACCOUNT_REAUTHENTICATION_METHODS).
    "konto/reauthenticate/code/": expect(LOGIN, 403, 403, 403, 403),
    "konto/reauthenticate/code/confirm/": expect(LOGIN, 403, 403, 403, 403),
    "konto/email/": expect(LOGIN, 200, 200, 200, 200),
    "konto/confirm-email/": everyone(200),
    "konto/password/change/": expect(LOGIN, 200, 200, 200, 200),
    "konto/password/set/": expect(LOGIN, 302, 302, 302, 302),
    "konto/password/reset/": everyone(200),
    "konto/login/code/confirm/": everyone(302),
    "konto/^confirm-email/(?P<key>[-:\\w]+)/$": everyone(200),
    "konto/password/reset/key/done/": everyone(200),
    "konto/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": everyone(200),
    "konto/password/reset/done/": everyone(200),
    "konto/2fa/": expect(LOGIN, 200, 200, 200, 200),
    "konto/2fa/authenticate/": everyone(302),
    # The authenticator pages: each person's own app and codes only (none for the officer).
    "konto/2fa/reauthenticate/": expect(LOGIN, 302, 200, 200, 200),
    "konto/2fa/totp/activate/": expect(LOGIN, 302, 302, 302, 302),
    "konto/2fa/totp/deactivate/": expect(LOGIN, 404, 302, 302, 302),
    "konto/2fa/recovery-codes/": expect(LOGIN, 404, 404, 404, 404),
    "konto/2fa/recovery-codes/generate/": expect(LOGIN, 302, 302, 302, 302),
    "konto/2fa/recovery-codes/download/": expect(LOGIN, 404, 404, 404, 404),
    # Uploaded files (enterprises.uploads.serve_media): a file that is not there is not found.
    "^media/(?P<path>.+)$": everyone(404),
}


def expectation(route: str) -> dict | None:
    if route in EXPECTED:
        return EXPECTED[route]
    if (rules := admin_model_expectations(route)) is not None:
        return rules
    for key, rules in EXPECTED.items():
        if key.endswith("*") and route.startswith(key[:-1]):
            return rules
    return None


# --- Sample values for the parameters -----------------------------------------------------


@dataclass
class Network:
    """Enterprise A with a place, a placement and a request; enterprise B with staff only."""

    objects: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.objects[key]


@pytest.fixture
def network(roles) -> Network:
    enterprise_a = factories.EnterpriseFactory(name="Alfa arbetsträning", published=True)
    enterprise_b = factories.EnterpriseFactory(name="Beta arbetsträning", published=True)
    referrer = factories.OrganisationFactory(name="Arbetsförmedlingen Syd")
    agreement = factories.AgreementFactory(enterprise=enterprise_a, counterparty=referrer)
    place = factories.TrainingPlaceFactory(enterprise=enterprise_a, capacity=50)
    officer = factories.UserFactory(email="handlaggare@example.org")
    officer.groups.add(roles[CASE_OFFICER])
    factories.CaseOfficerFactory(user=officer, organisation=referrer)
    staff_a = factories.UserFactory(email="personal-a@example.org", is_staff=True)
    staff_b = factories.UserFactory(email="personal-b@example.org", is_staff=True)
    for user, enterprise in [(staff_a, enterprise_a), (staff_b, enterprise_b)]:
        user.groups.add(roles[ENTERPRISE_STAFF])
        enterprise.staff.add(user)
    coordinator = factories.UserFactory(email="samordnare-matris@example.org", is_staff=True)
    coordinator.groups.add(roles[COORDINATOR])
    factories.NetworkProfileFactory()
    report = factories.AnnualReportFactory(year=2022, published=True)
    versions.report_publish(report=report)  # version 1, frozen (reports/versions.py)
    strategy_point = factories.StrategyPointFactory()
    return Network(
        {
            "users": {OFFICER: officer, STAFF_A: staff_a, STAFF_B: staff_b, COORD: coordinator},
            "enterprise": enterprise_a,
            "agreement": agreement,
            "place": place,
            "referrer": referrer,
            "report": report,
            # One row of each admin model, of enterprise A where the model hangs on one.
            "admin": {
                "auth/group": roles[CASE_OFFICER],
                "sites/site": Site.objects.get_current(),
                # Every login name is its account's verified primary address (asfnet).
                "account/emailaddress": EmailAddress.objects.get(user=officer, primary=True),
                "mfa/authenticator": give_totp(coordinator),
                "asfnet/user": officer,
                "enterprises/municipality": factories.MunicipalityFactory(),
                "enterprises/enterprisegroup": factories.EnterpriseGroupFactory(),
                "enterprises/servicecategory": factories.ServiceCategoryFactory(),
                "enterprises/adaptation": factories.AdaptationFactory(),
                "enterprises/enterprise": enterprise_a,
                "enterprises/enterprisealias": EnterpriseAlias.objects.create(
                    enterprise=enterprise_a, name="Alfas tidigare namn", slug="alfas-tidigare"
                ),
                "enterprises/legalentity": factories.LegalEntityFactory(enterprise=enterprise_a),
                "enterprises/unit": factories.UnitFactory(enterprise=enterprise_a),
                "enterprises/networkprofile": NetworkProfile.objects.get(),
                "enterprises/inquiry": factories.InquiryFactory(enterprise=enterprise_a),
                "placements/organisation": referrer,
                "placements/programme": factories.ProgrammeFactory(organisation=referrer),
                "placements/agreement": agreement,
                "placements/placementtype": place.placement_types.first(),
                "placements/trainingplace": place,
                "placements/placement": factories.PlacementFactory(place=place, referrer=referrer),
                "placements/placementrequest": pending_request(place, officer, referrer),
                "placements/caseofficer": officer.case_officer,
                "reports/strategy": strategy_point.area.strategy,
                "reports/strategyarea": strategy_point.area,
                "reports/strategypoint": strategy_point,
                "reports/activity": factories.ActivityFactory(points=[strategy_point]),
                "reports/annualreport": report,
                "reports/reportsection": factories.ReportSectionFactory(report=report),
                "reports/signatory": factories.SignatoryFactory(report=report),
                "background/outboxmail": OutboxMail.objects.create(
                    subject="Ett brev", to=["a@example.org"], message={"body": "Hej"}
                ),
                "background/jobrun": JobRun.objects.create(job="ett.jobb", period="2026-12-04"),
                "background/workerheartbeat": WorkerHeartbeat.objects.create(worker_id="w-1"),
            },
        }
    )


def pending_request(place, officer, referrer) -> PlacementRequest:
    return factories.PlacementRequestFactory(
        place=place,
        case_officer=officer,
        referrer=referrer,
        placement_type=place.placement_types.first(),
        wished_start_on=timezone.localdate() + datetime.timedelta(days=7),
    )


def accepted_request(network: Network) -> PlacementRequest:
    """A request staff of A accepted just now; noted in the network as made by the sample."""
    place, officer = network["place"], network["users"][OFFICER]
    request = pending_request(place, officer, network["referrer"])
    services.placement_request_accept(request=request, by=network["users"][STAFF_A])
    network.objects.setdefault("accepted", []).append(request.pk)
    return request


@dataclass
class Call:
    method: str
    url: str
    data: dict = field(default_factory=dict)


def sample_call(route: Route, network: Network) -> Call:
    """A request to the route with sample values; fresh objects where the call changes them."""
    place, officer, referrer = network["place"], network["users"][OFFICER], network["referrer"]
    named: dict[str, Callable[[], Call]] = {
        "placements:place": lambda: Call("get", reverse(route.name, args=[place.pk])),
        "placements:request_create": lambda: Call("get", reverse(route.name, args=[place.pk])),
        "placements:decision": lambda: Call(
            "get", reverse(route.name, args=[pending_request(place, officer, referrer).pk])
        ),
        "placements:accept": lambda: Call(
            "post",
            reverse(route.name, args=[pending_request(place, officer, referrer).pk]),
            {"bekrafta": "ja"},
        ),
        "placements:decline": lambda: Call(
            "post",
            reverse(route.name, args=[pending_request(place, officer, referrer).pk]),
            {"reason": "Ingen handledare i höst."},
        ),
        "placements:waitlist": lambda: Call(
            "post", reverse(route.name, args=[pending_request(place, officer, referrer).pk])
        ),
        "placements:accept_undo": lambda: Call(
            "post", reverse(route.name, args=[accepted_request(network).pk])
        ),
        "placements:placement_end": lambda: Call(
            "get",
            reverse(
                route.name,
                args=[factories.PlacementFactory(place=place, referrer=referrer).pk],
            ),
        ),
        "placements:place_confirm": lambda: Call(
            "get",
            reverse(
                route.name,
                args=[
                    PlaceReminder.objects.get_or_create(
                        place=place, confirmed_on=place.last_confirmed_on
                    )[0].token
                ],
            ),
        ),
        "enterprises:detail": lambda: Call(
            "get", reverse(route.name, args=[network["enterprise"].slug])
        ),
        "reports:detail": lambda: Call("get", reverse(route.name, args=[2022])),
        "reports:pdf": lambda: Call("get", reverse(route.name, args=[2022])),
        "reports:statistics_csv": lambda: Call("get", reverse(route.name, args=[2022])),
        "reports:version": lambda: Call("get", reverse(route.name, args=[2022, 1])),
        "reports:version_pdf": lambda: Call("get", reverse(route.name, args=[2022, 1])),
        "admin:view_on_site": lambda: Call(
            "get",
            reverse(
                route.name,
                args=[ContentType.objects.get_for_model(Enterprise).pk, network["enterprise"].pk],
            ),
        ),
        "admin:app_list": lambda: Call("get", reverse(route.name, args=["placements"])),
        # What the place field of a placement offers: staff get their own places only.
        "admin:autocomplete": lambda: Call(
            "get",
            reverse(route.name),
            {"app_label": "placements", "model_name": "placement", "field_name": "place"},
        ),
        "admin:auth_user_password_change": lambda: Call(
            "get", reverse(route.name, args=[officer.pk])
        ),
        "account_confirm_email": lambda: Call("get", reverse(route.name, args=["ogiltig-nyckel"])),
        "account_reset_password_from_key": lambda: Call(
            "get", reverse(route.name, kwargs={"uidb36": "1", "key": "ogiltig-nyckel"})
        ),
    }
    if route.name in named:
        return named[route.name]()
    if route.route.endswith(HISTORY_VERSION):
        obj = network["admin"]["/".join(route.route.split("/")[1:3])]
        version = obj.history.latest("history_date")
        return Call("get", reverse(route.name, args=[obj.pk, version.history_id]))
    if route.route.startswith("admin/") and "<path:object_id>" in route.route:
        model = "/".join(route.route.split("/")[1:3])
        obj = network["admin"][model]
        return Call("get", "/" + route.route.replace("<path:object_id>", str(obj.pk)))
    if route.route == "admin/(?P<url>.*)$":
        return Call("get", "/admin/finns-inte/")
    if route.route == "^media/(?P<path>.+)$":
        return Call("get", "/media/finns-inte.png")
    if "<" in route.route or "(?P" in route.route:
        raise AssertionError(f"No sample values for {route.route!r}: add them to sample_call().")
    return Call("get", reverse(route.name) if route.name else "/" + route.route)


# --- The tests ----------------------------------------------------------------------------


def test_every_url_has_an_expectation():
    missing = [route.route for route in ROUTES if expectation(route.route) is None]
    assert missing == [], (
        "These URLs have no line in EXPECTED (tests/platser/test_authorization_matrix.py): "
        "say who may open them."
    )


def test_the_matrix_covers_the_training_place_pages():
    # A guard against the walk itself breaking: it must find the pages this app serves.
    routes = {route.route for route in ROUTES}
    assert "platser/forfragningar/<int:pk>/anta/" in routes
    assert "admin/placements/placementrequest/<path:object_id>/change/" in routes
    assert len(routes) > 100


def matches(expected, response) -> bool:
    if isinstance(expected, tuple):
        status, location = expected
        if response.status_code != status:
            return False
        path = urlsplit(response["Location"]).path
        return path.endswith(location[1:]) if location.startswith("*") else path == location
    return response.status_code == expected


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_url_answers_each_visitor_as_expected(client, network, visitor):
    if visitor != ANONYMOUS:
        user = network["users"][visitor]
        if user.is_staff:
            log_in_with_second_factor(client, user)
        else:
            client.force_login(user)
    wrong = []
    for route in ROUTES:
        expected = (expectation(route.route) or {}).get(visitor)
        call = sample_call(route, network)
        response = getattr(client, call.method)(call.url, call.data)
        if expected is None or not matches(expected, response):
            where = f" -> {response['Location']}" if response.has_header("Location") else ""
            wrong.append(
                f"{call.method.upper()} {call.url}: expected {expected}, "
                f"got {response.status_code}{where}"
            )
    assert not wrong, "\n" + "\n".join(wrong)


# --- The second factor on the enterprises' pages ------------------------------------------

# What staff and the coordinator answer under /platser/ is what they change in the admin: the
# same second factor (placements.views.decider_required), for every URL under these prefixes.
SECOND_FACTOR_PAGES = ("platser/forfragningar/", "platser/placeringar/")
SET_UP_THE_APP = (302, "/konto/2fa/totp/activate/")


@pytest.mark.parametrize("visitor", [STAFF_A, STAFF_B, COORD])
def test_the_enterprises_pages_need_a_second_factor(client, network, visitor):
    user = network["users"][visitor]
    Authenticator.objects.filter(user=user).delete()
    client.force_login(user)  # the password alone
    routes = [route for route in ROUTES if route.route.startswith(SECOND_FACTOR_PAGES)]
    assert len(routes) >= 7, "The prefixes no longer match the requests' and placements' pages."
    wrong = []
    for route in routes:
        call = sample_call(route, network)
        response = getattr(client, call.method)(call.url, call.data)
        if not matches(SET_UP_THE_APP, response):
            wrong.append(f"{call.method.upper()} {call.url}: got {response.status_code}")
    assert not wrong, "\n" + "\n".join(wrong)
    # Nothing answered, and no accept undone: only the sample's accepts are not pending.
    answered = PlacementRequest.objects.exclude(status=PlacementRequest.Status.PENDING)
    assert sorted(answered.values_list("pk", flat=True)) == network.objects.get("accepted", [])
