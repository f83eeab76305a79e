"""Monitoring fixtures: a small synthetic snapshot (made once per test session) and the zones."""

from __future__ import annotations

import pytest

from learncity.identity.districts import all_districts

SMALL = 12_000  # residents in the shared synthetic snapshot


@pytest.fixture(scope="session")
def zones() -> dict[str, str]:
    return {d.code: d.zone for d in all_districts()}


@pytest.fixture(scope="session")
def districts():
    return [(d.code, d.zone, d.residents) for d in all_districts()]


@pytest.fixture(scope="session")
def small_snapshot(tmp_path_factory, districts):
    """A reproducible synthetic snapshot of SMALL residents, 2022-2024, with a survey."""
    from learncity.monitoring.survey_synth import SurveyPlan
    from learncity.monitoring.synth import SynthSpec, synthesize

    folder = tmp_path_factory.mktemp("synthetic")
    synthesize(folder, districts, SynthSpec(residents=SMALL, seed=7, chunk=4_000,
                                            survey=SurveyPlan(psus=6, take=15, psu_size=150)))
    return folder


@pytest.fixture(scope="session")
def small_run(small_snapshot, zones):
    from learncity.monitoring import jobs

    return jobs.run(small_snapshot, 2024, zones)


@pytest.fixture
def analyst(staff):
    return staff("analyst", "analyst")
