from django.apps import AppConfig


class AnchorConfig(AppConfig):
    """The yardstick: a plain ``wagtail.contrib.forms`` form page."""

    name = "benchmarks.anchor"
    label = "bench_anchor"
    verbose_name = "Benchmark anchor"
    default_auto_field = "django.db.models.BigAutoField"
