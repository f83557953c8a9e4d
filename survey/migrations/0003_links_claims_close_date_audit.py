"""Personal links become rows of their own (several per person; only hashes), a respondent
is claimed by one browser, rounds get a close date, and leaders' actions an audit log."""

import django.db.models.deletion
import django.utils.timezone
import survey.models
from django.conf import settings
from django.db import migrations, models


def move_tokens_to_links(apps, schema_editor):
    """Every existing personal link keeps working, as an emailed link."""
    Respondent = apps.get_model("survey", "Respondent")
    SurveyLink = apps.get_model("survey", "SurveyLink")
    for respondent in Respondent.objects.all():
        respondent.key = survey.models.new_key()
        respondent.save(update_fields=["key"])
        SurveyLink.objects.create(
            respondent=respondent, token_hash=respondent.token_hash, kind="email"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("survey", "0002_round_threshold_invitations_shared_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="closes_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="closes"),
        ),
        migrations.AddField(
            model_name="respondent",
            name="key",
            field=models.CharField(editable=False, max_length=22, null=True),
        ),
        migrations.AddField(
            model_name="respondent",
            name="device_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="respondent",
            name="claimed_via",
            field=models.CharField(
                blank=True,
                choices=[
                    ("email", "a link sent only to their email"),
                    ("screen", "a link shown to a leader on screen"),
                    ("shared", "the shared link"),
                ],
                editable=False,
                max_length=10,
                verbose_name="answering through",
            ),
        ),
        migrations.CreateModel(
            name="SurveyLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("kind", models.CharField(choices=[("email", "emailed"), ("screen", "shown on screen"), ("fresh", "fresh link, emailed on request")], max_length=10, verbose_name="kind")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="used")),
                ("respondent", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="links", to="survey.respondent")),
            ],
            options={
                "verbose_name": "survey link",
                "verbose_name_plural": "survey links",
                "constraints": [models.CheckConstraint(condition=models.Q(("kind__in", ["email", "screen", "fresh"])), name="survey_link_known_kind")],
            },
        ),
        migrations.RunPython(move_tokens_to_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="respondent", name="token_hash"),
        migrations.AlterField(
            model_name="respondent",
            name="key",
            field=models.CharField(default=survey.models.new_key, editable=False, max_length=22, unique=True),
        ),
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(choices=[("round_opened", "opened the round"), ("people_added", "added people"), ("links_shown", "saw personal links on screen"), ("fresh_link", "had a fresh link emailed"), ("reminders", "sent reminders"), ("shared_on", "turned a shared link on"), ("shared_off", "turned a shared link off"), ("threshold", "changed the anonymity threshold"), ("close_date", "changed the close date"), ("closed", "closed the round")], max_length=20, verbose_name="action")),
                ("detail", models.CharField(blank=True, max_length=1000, verbose_name="detail")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="when")),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("company", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="audit_events", to="survey.company")),
                ("round", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="audit_events", to="survey.round")),
            ],
            options={
                "verbose_name": "audit event",
                "verbose_name_plural": "audit log",
                "ordering": ["-created_at", "-pk"],
            },
        ),
    ]
