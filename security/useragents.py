"""Browser and operating system, read from a User-Agent header with ua-parser (uap-core's rules)."""

from functools import lru_cache

import ua_parser

UNKNOWN = "Other"  # uap-core's family for what no rule recognises


@lru_cache(maxsize=4096)
def describe(user_agent):
    """
    (browser, os) of `user_agent`, such as ("Firefox 128", "Linux") or ("Chrome 126", "Mac OS X 10.15");
    None for a part that cannot be read. Cached: a user's few user agents repeat on every page.
    """
    result = ua_parser.parse(user_agent or "")
    browser = result.user_agent
    system = result.os
    return (
        _name(browser.family, browser.major) if browser else None,
        _name(system.family, ".".join(part for part in (system.major, system.minor) if part)) if system else None,
    )


def _name(family, version):
    if not family or family == UNKNOWN:
        return None
    return f"{family} {version}" if version else family
