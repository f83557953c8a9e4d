"""Everything a company has, as one zip of JSON and CSV files, streamed as it is written
(zipfile writes to a stream that cannot seek, with data descriptors).

Never in it: anything about who answered or started while a round is open (the people file
has no answered column; a closed round's answers are in its published results only), link
tokens, device hashes, the single sign-on secret."""

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from scoring.joint_models import ActionOwner, ActionProgress, WorkshopAgreement
from scoring.models import MoveDecision, PlannedAction, PublishedResult
from survey.models import Company, Respondent


class Chunks(io.RawIOBase):
    """A write-only stream whose written bytes are taken out in pieces."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.pieces.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.pieces = b"".join(self.pieces), []
        return data


def as_csv(header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode()  # the BOM: Excel reads UTF-8 (Vietnamese)


def as_json(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def files(company: Company) -> Iterator[tuple[str, bytes]]:
    yield (
        "company.json",
        as_json(
            {
                "name": company.name,
                "slug": company.slug,
                "anonymity_threshold": company.anonymity_threshold,
                "retention_days": company.retention_days,
                "deletion_requested_at": company.deletion_requested_at,
                "domains": list(
                    company.domains.order_by("domain").values(
                        "domain", "created_at", "verified_at", "checked_at"
                    )
                ),
            }
        ),
    )
    yield (
        "members.csv",
        as_csv(
            ["email", "username", "role"],
            company.memberships.order_by("user__username").values_list(
                "user__email", "user__username", "role"
            ),
        ),
    )
    yield (
        "invitations.csv",
        as_csv(
            ["email", "role", "sent", "accepted"],
            company.invitations.order_by("created_at", "pk").values_list(
                "email", "role", "created_at", "accepted_at"
            ),
        ),
    )
    rounds = company.rounds.order_by("opened_at")
    yield (
        "rounds.csv",
        as_csv(
            ["round", "title", "threshold", "opened", "closes", "closed", "personal data erased"],
            rounds.values_list(
                "pk",
                "title",
                "anonymity_threshold",
                "opened_at",
                "closes_at",
                "closed_at",
                "personal_data_erased_at",
            ),
        ),
    )
    yield (
        "people.csv",
        as_csv(
            ["round", "department", "role", "name", "email", "language", "removed"],
            Respondent.objects.filter(round__company=company)
            .exclude(email="", name="")
            .order_by("round_id", "department", "role", "email", "pk")
            .values_list(
                "round_id", "department", "role", "name", "email", "language", "removed_at"
            ),
        ),
    )
    yield (
        "published_results.json",
        as_json(
            [
                {"round": row.pop("round_id"), **row}
                for row in PublishedResult.objects.filter(round__company=company)
                .order_by("round_id")
                .values()
            ]
        ),
    )
    actions = PlannedAction.objects.filter(company=company).order_by("pk")
    yield (
        "plan.json",
        as_json(
            {
                "actions": list(actions.values()),
                "owners": list(
                    ActionOwner.objects.filter(action__in=actions).values(
                        "action_id", "department", "user__email", "email", "name"
                    )
                ),
                "progress": list(
                    ActionProgress.objects.filter(action__in=actions).values(
                        "action_id", "text", "created_at", "author__email"
                    )
                ),
                "decisions": list(MoveDecision.objects.filter(round__company=company).values()),
                "workshop_agreements": list(
                    WorkshopAgreement.objects.filter(round__company=company).values(
                        "round_id", "statement", "text", "action_id"
                    )
                ),
            }
        ),
    )
    yield (
        "record.csv",
        as_csv(
            ["when", "round", "who", "action", "detail"],
            company.audit_events.order_by("created_at", "pk").values_list(
                "created_at", "round_id", "actor__email", "action", "detail"
            ),
        ),
    )


def archive(company: Company) -> Iterator[bytes]:
    """The zip, piece by piece: each file's bytes leave as soon as it is written."""
    stream = Chunks()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, data in files(company):
            zipped.writestr(name, data)
            yield stream.take()
    yield stream.take()
