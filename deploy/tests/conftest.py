import shutil
import tempfile

import pytest

from deploy.cluster import Cluster

from .tabs import ALICE, PASSWORD


@pytest.fixture(scope="session")
def cluster():
    """Two app servers behind HAProxy, with a PostgreSQL and a Redis of their own; Alice is a superuser."""
    directory = tempfile.mkdtemp(prefix="authsite-cluster-")
    cluster = Cluster(directory=directory, servers=2, workers=2, port=0, durable=False).up()
    try:
        cluster.manage("createsuperuser", "--noinput", "--email", ALICE, env={"DJANGO_SUPERUSER_PASSWORD": PASSWORD})
        yield cluster
    finally:
        cluster.down()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def both_up(cluster):
    """Every app server is in HAProxy's pool before the test, and again after it (one may kill a server)."""
    assert cluster.all_up()
    yield cluster
    if not cluster.redis_answers():
        cluster.start_redis_server()
    for name, state in cluster.server_states().items():
        if state != "UP":
            cluster.start_server(name)
    cluster.wait_until_all_up()
