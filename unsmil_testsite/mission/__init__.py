"""The second offline site: an English-only UN mission news site (see docs/offline-site.md).

``build_mission_site()`` makes the model; serve it with the same ``SiteServer`` as the UNSMIL
site, on its own port (or its own loopback address), so each site has its own host.
"""

from .model import MissionSite, build_mission_site

__all__ = ["MissionSite", "build_mission_site"]
