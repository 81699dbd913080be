"""schemathesis against the saved-query API's OpenAPI description (/api/openapi.json): no 5xx, whatever is sent.

The app runs in-process through schemathesis's WSGI support, over the web fixture graph with the bundled saved
queries (every operation, with its declared parameters: integers, IRIs, labels, years), with valid and with
invalid (negative) inputs. A 503 is allowed only as the documented time-limit answer. Test dependency:
schemathesis (PyPI).
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode


@pytest.fixture(scope="module")
def api_schema(web_data_dir):
    from r2pkg.webapp import create_app

    app = create_app({"DATA_DIR": str(web_data_dir), "TESTING": True, "SPARQL_TIMEOUT": 5.0})
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def check(case) -> None:
    response = case.call()
    if response.status_code == 503:
        assert "time limit" in response.text or "busy" in response.text, response.text
        return
    assert response.status_code < 500, (case.path, case.query, response.status_code, response.text[:500])
    assert "Traceback" not in response.text
    if response.status_code >= 400:
        body = response.json()
        assert set(body) >= {"error", "message", "status"} and body["status"] == response.status_code


def test_the_saved_query_api_never_answers_5xx(api_schema):
    """Each operation in turn (schemathesis's pytest plugin does not run under pytest 9, so the loop is ours)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            @given(operation.as_strategy(generation_mode=mode))
            def run(case):
                check(case)

            run()
