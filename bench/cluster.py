"""
Throughput with one app server and with two, through HAProxy, in one run: the deployment of
deploy/cluster.py (gunicorn app servers sharing one PostgreSQL and one Redis), on 127.0.0.1.

    .venv/bin/python -m bench.cluster                       # or: make bench-cluster
    .venv/bin/python -m bench.cluster --duration 2 --rounds 1

The script starts the cluster (its own PostgreSQL and Redis, in a temporary directory, or the
ones in CLUSTER_DATABASE_URL and CLUSTER_CACHE_URL), creates the benchmark user, and loads each
scenario through HAProxy: first with app2 in maintenance (HAProxy's runtime API), so app1
serves alone, then with both. Each round runs both, in the opposite order every other round;
the figures are those of the median round. Then it stops the cluster.

    me_<n>_rps, me_<n>_p50_ms, me_<n>_p99_ms              GET /api/me with a valid token
    refresh_<n>_rps, refresh_<n>_p50_ms, refresh_<n>_p99_ms  the refresh grant, each connection
                                                           chaining its own tokens
    <scenario>_<n>_errors                                  unexpected answers (printed when not 0)
    <scenario>_2_vs_1                                      two servers' throughput over one's
    errors                                                 all unexpected answers; exit status 1 unless 0

where <n> is the number of app servers in HAProxy's pool. On a machine with 2 cores, two app
servers share the same cores as one: what this shows is that nothing breaks and nothing is lost
behind the load balancer, not that the throughput doubles.
"""

import argparse
import os
import shutil
import sys
import tempfile

from deploy.cluster import Cluster

from .run import EMAIL, PASSWORD, Scenario, password_grant, refresh_scenario, run_python, run_wrk

SERVER_COUNTS = (1, 2)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds per scenario (default: 5)")
    parser.add_argument("--concurrency", type=int, default=8, help="client connections (default: 8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default: 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server (default: 2)")
    return parser.parse_args(argv)


def load(scenario, port, args, workdir):
    if shutil.which("wrk"):
        return run_wrk(scenario, port, args.duration, args.concurrency, workdir)
    return run_python(scenario, port, args.duration, args.concurrency)


def measure(cluster, servers, args, workdir):
    """Each scenario through HAProxy with `servers` app servers in its pool."""
    cluster.set_state("app2", "ready" if servers == 2 else "maint")
    port = cluster.state["port"]
    access_token = password_grant(port)["access_token"]
    me = Scenario("me", "/api/me", headers={"Authorization": f"Bearer {access_token}"})
    return {
        "me": load(me, port, args, workdir),
        "refresh": load(refresh_scenario("refresh", "/oauth/token", port, args.concurrency), port, args, workdir),
    }


def main(argv=None):
    args = parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="bench-cluster-")
    cluster = Cluster(directory=workdir, servers=2, workers=args.workers, port=0)
    try:
        cluster.up()
        cluster.manage("createsuperuser", "--noinput", "--email", EMAIL, env={"DJANGO_SUPERUSER_PASSWORD": PASSWORD})
        rounds = []
        for number in range(args.rounds):
            order = SERVER_COUNTS if number % 2 == 0 else tuple(reversed(SERVER_COUNTS))
            rounds.append({servers: measure(cluster, servers, args, workdir) for servers in order})
    finally:
        cluster.down()
        shutil.rmtree(workdir, ignore_errors=True)

    errors = 0
    figures = {}
    for scenario in ("me", "refresh"):
        for servers in SERVER_COUNTS:
            results = sorted((round_[servers][scenario] for round_ in rounds), key=lambda result: result.rps)
            median = results[len(results) // 2]
            figures[(scenario, servers)] = median.rps
            name = f"{scenario}_{servers}"
            print(f"{name}_rps={median.rps:.1f}")
            print(f"{name}_p50_ms={median.p50_ms:.2f}")
            print(f"{name}_p99_ms={median.p99_ms:.2f}")
            round_errors = sum(round_[servers][scenario].errors for round_ in rounds)
            if round_errors:
                print(f"{name}_errors={round_errors}")
            errors += round_errors
        one, two = figures[(scenario, 1)], figures[(scenario, 2)]
        print(f"{scenario}_2_vs_1={two / one if one else 0:.2f}")
    print(f"cpu_count={os.cpu_count()}")
    print(f"errors={errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
