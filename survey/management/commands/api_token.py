"""Create an API token for a company, for scripts and tests: the token on the last line."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from survey.models import ApiToken, Company
from survey.writes.api_tokens import create_token


class Command(BaseCommand):
    help = "Create a read-only API token for a company and print it (once) on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True, help="the company's slug")
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiToken.Scope.values,
            help="results or plan; repeat for both (default: both)",
        )
        parser.add_argument("--days", type=int, default=90, help="days until it expires")

    def handle(self, *args: object, **options: object) -> None:
        try:
            company = Company.objects.get(slug=options["company"])
        except Company.DoesNotExist as error:
            raise CommandError(f"no company with the slug {options['company']!r}") from error
        scopes = options["scope"] or ApiToken.Scope.values
        days = int(options["days"])  # type: ignore[call-overload]
        row, token = create_token(
            company=company,
            name=str(options["name"]),
            scopes=list(scopes),  # type: ignore[call-overload]
            expires_at=timezone.now() + timedelta(days=days),
            actor=None,
        )
        self.stdout.write(
            f"API token {row.name!r} for {company.slug}, expires {row.expires_at:%Y-%m-%d}:"
        )
        self.stdout.write(token)
