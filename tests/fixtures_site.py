"""Fixtures that serve the offline UNSMIL site and the second, English-only mission site
(see docs/offline-site.md).

``site`` is the model; ``site_server`` one shared server with faults on (a test that changes its
state or discovery, or needs its faults re-armed, calls ``site_server.reset()``);
``fresh_site_server(**kwargs)`` starts a private server that is stopped after the test.
``mission`` / ``mission_server``: the same for the mission site (its own server, so its own
host:port; faults on, ``reset()`` after changing it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from unsmil_testsite import Site, SiteServer, build_site
from unsmil_testsite.mission import MissionSite, build_mission_site


@pytest.fixture(scope="session")
def site() -> Site:
    return build_site()


@pytest.fixture(scope="session")
def site_server(site: Site) -> Iterator[SiteServer]:
    """One server for the session, faults on; call ``.reset()`` after changing it."""
    server = SiteServer(site, faults=True).start()
    yield server
    server.stop()


@pytest.fixture
def fresh_site_server(site: Site) -> Iterator[Callable[..., SiteServer]]:
    """Factory: ``fresh_site_server(latency=0.2, faults=False, ...)`` -> a started server."""
    started: list[SiteServer] = []

    def start(**kwargs: object) -> SiteServer:
        server = SiteServer(kwargs.pop("site", site), **kwargs).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def mission() -> MissionSite:
    return build_mission_site()


@pytest.fixture(scope="session")
def mission_server(mission: MissionSite) -> Iterator[SiteServer]:
    """One server for the session, faults on; call ``.reset()`` after changing it."""
    server = SiteServer(mission, faults=True).start()
    yield server
    server.stop()
