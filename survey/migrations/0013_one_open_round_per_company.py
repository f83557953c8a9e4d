"""One open round per company, as a constraint of the database.

Before it can hold, a company with several open rounds keeps only its latest: a round past
its close date is closed at that date (as the first request after it would have done), and
the others still open are closed now, with an entry in the round's record saying why. Their
results are published the first time they are read (scoring.results.published).
"""

from django.db import migrations, models
from django.utils import timezone


def close_all_but_the_latest(apps, schema_editor):
    Round = apps.get_model("survey", "Round")
    AuditEvent = apps.get_model("survey", "AuditEvent")
    now = timezone.now()
    past = Round.objects.filter(closed_at__isnull=True, closes_at__lte=now)
    for survey_round in past:
        survey_round.closed_at = survey_round.closes_at
        survey_round.save(update_fields=["closed_at"])
        AuditEvent.objects.create(
            company_id=survey_round.company_id,
            round=survey_round,
            action="closed",
            detail="at the close date",
        )
    latest: set[int] = set()
    for survey_round in Round.objects.filter(closed_at__isnull=True).order_by("-opened_at", "-pk"):
        if survey_round.company_id not in latest:
            latest.add(survey_round.company_id)
            continue
        survey_round.closed_at = now
        survey_round.save(update_fields=["closed_at"])
        AuditEvent.objects.create(
            company_id=survey_round.company_id,
            round=survey_round,
            action="closed",
            detail="a later round was open: one open round per company",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("survey", "0012_company_sso"),
    ]

    operations = [
        migrations.RunPython(close_all_but_the_latest, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="round",
            constraint=models.UniqueConstraint(
                condition=models.Q(("closed_at__isnull", True)),
                fields=("company",),
                name="one_open_round_per_company",
            ),
        ),
    ]
