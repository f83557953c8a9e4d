"""scim2-tester, the SCIM conformance checker of the python-scim project, run against our
/scim/v2/ on the live server with a company's real token: discovery (ServiceProviderConfig,
ResourceTypes, Schemas), then create, read, query, replace, patch and delete of Users and
Groups with the values it makes up from the schemas we publish."""

from importlib.metadata import version

import email_validator
import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from survey.identity import directory
from tests.factories import make_company, make_user

FAILED = {Status.ERROR, Status.CRITICAL} & set(Status)


@pytest.fixture
def token(transactional_db) -> str:
    company = make_company()
    owner = make_user("owner@acme.test", company, role="owner")
    _token, value = directory.create_token(company=company, label="scim2-tester", actor=owner)
    return value


def test_scim2_tester_finds_nothing_wrong(live_server, token, monkeypatch):
    monkeypatch.setattr(email_validator, "TEST_ENVIRONMENT", True)
    client = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2", headers={"Authorization": f"Bearer {token}"}
    )
    results = check_server(SyncSCIMClient(client))
    failed = [r for r in results if r.status in FAILED]
    print(f"scim2-tester {version('scim2-tester')}: {len(results)} checks")
    for result in results:
        print(result.status.name, result.resource_type or "", result.title, result.reason or "")
    assert results and not failed, "\n".join(f"{r.title}: {r.reason}" for r in failed)
