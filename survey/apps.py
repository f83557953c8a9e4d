from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using: str = "default", **kwargs) -> None:
    """The database cache needs its table wherever `migrate` runs (make run, the container,
    the test database); it does nothing when the cache is Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class SurveyConfig(AppConfig):
    name = "survey"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="survey-cache-table")
