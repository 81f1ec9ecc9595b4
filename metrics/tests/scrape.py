"""Reading GET /metrics the way Prometheus does: its own text-format parser, one value per series."""

from prometheus_client.parser import text_string_to_metric_families

TOKEN = "metrics-token-for-the-tests-" + "x" * 16


def samples(text):
    """{(sample name, ((label, value), ...)): value} for every sample of an exposition."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped, name, **labels):
    """One sample's value, 0 when the series does not exist yet."""
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


def moved(before, after):
    """{series: increase} for every series that changed between two scrapes."""
    return {key: after[key] - before.get(key, 0.0) for key in after if after[key] != before.get(key, 0.0)}
