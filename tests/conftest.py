import pytest

from tests.factories import make_company, make_user


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests render pages without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
