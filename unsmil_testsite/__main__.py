"""Serve the offline site in the foreground: ``python -m unsmil_testsite``."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from . import SiteServer, build_site
from .mission import build_mission_site
from .routes import DISCOVERY_MODES

logger = logging.getLogger("unsmil_testsite")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options.

    >>> parse_args(["--port", "8080", "--no-faults"]).faults
    False
    >>> [parse_args(a).discovery for a in (["--no-discovery"], ["--discovery", "first-page"])]
    ['off', 'first-page']
    """
    parser = argparse.ArgumentParser(prog="python -m unsmil_testsite",
                                     description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="delay before every response (the benchmark uses 200)")
    parser.add_argument("--state", choices=("initial", "updated"), default="initial")
    parser.add_argument("--no-faults", dest="faults", action="store_false")
    parser.add_argument("--discovery", choices=DISCOVERY_MODES, default="on",
                        help="off: listings, feeds and sitemaps answer 404; first-page: only "
                             "listing page 1, without its pager")
    parser.add_argument("--no-discovery", dest="discovery", action="store_const", const="off",
                        help="same as --discovery off")
    parser.add_argument("--site", choices=("unsmil", "mission"), default="unsmil",
                        help="mission: the second, English-only site (--per-lang and --seed "
                             "apply to unsmil only)")
    parser.add_argument("--per-lang", type=int, default=320)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    model = (build_mission_site() if args.site == "mission"
             else build_site(args.per_lang, args.seed))
    server = SiteServer(model, args.host, args.port, latency=args.latency_ms / 1000,
                        faults=args.faults)
    server.set_state(args.state)
    server.set_discovery(args.discovery)
    server.start()
    logger.info("offline %s site at %s (state=%s, faults=%s, discovery=%s)",
                args.site, server.url, args.state, args.faults, args.discovery)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
