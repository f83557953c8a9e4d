import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import make_company, make_user


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests render pages without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing takes a third of a second per user; tests create hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_to_start_with():
    """A request in Vietnamese leaves the thread speaking it; each test starts in English."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_caches(request):
    """Throttle counters live in the cache (a database table, or Redis), which outlives a
    test that commits. Cleared before each test that uses the database (a test's own
    writes roll back with it); tests without the database have no cache to clear."""
    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    cache.clear()


@pytest.fixture
def owner(company):
    return make_user("owner@acme.test", company, role="owner")


@pytest.fixture
def company(db):
    return make_company()


@pytest.fixture
def round_(company):
    return company.rounds.create(title="Spring")


@pytest.fixture
def manager(company):
    return make_user("manager@acme.test", company)


@pytest.fixture
def outsider(db):
    other = make_company(name="Other", slug="other")
    return make_user("someone@other.test", other)
