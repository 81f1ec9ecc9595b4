"""CACHE_URL and SIGNIN_COUNTERS: one server needs no Redis; several share one, and the throttle counts there."""

from .test_settings import manage, settings_in


def test_without_cache_url_there_is_no_redis_and_failures_are_counted_in_the_database():
    found = settings_in("CACHES", "SIGNIN_COUNTERS", "AXES_HANDLER")

    assert found["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["SIGNIN_COUNTERS"] == "database"
    assert found["AXES_HANDLER"] == "throttling.handlers.ThrottlingHandler"


def test_cache_url_names_a_shared_redis_and_moves_the_counters_there():
    found = settings_in("CACHES", "SIGNIN_COUNTERS", "AXES_HANDLER", CACHE_URL="redis://127.0.0.1:6379/3")

    assert found["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    assert found["SIGNIN_COUNTERS"] == "cache"
    assert found["AXES_HANDLER"] == "throttling.cache_handler.ThrottlingCacheHandler"


def test_the_counters_can_stay_in_the_database_with_redis():
    found = settings_in(
        "SIGNIN_COUNTERS", "AXES_HANDLER", CACHE_URL="redis://127.0.0.1:6379/3", SIGNIN_COUNTERS="database"
    )

    assert found == {"SIGNIN_COUNTERS": "database", "AXES_HANDLER": "throttling.handlers.ThrottlingHandler"}


def test_an_unknown_place_for_the_counters_is_refused():
    result = manage("check", SIGNIN_COUNTERS="memory")

    assert result.returncode != 0
    assert 'SIGNIN_COUNTERS must be "database" or "cache".' in result.stderr
