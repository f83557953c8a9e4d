"""Reads the people to invite from pasted lines or a CSV file; pure, no database.

One person per line: email, name (optional), department, role (optional, staff by
default), language (optional). A first line with an "email" column is a header and may
put the columns in any order. Every bad line is reported with its number and reason; the good
lines are kept.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MAX_BYTES = 1_000_000
MAX_LINES = 2_000
MAX_NAME = 200
COLUMNS = ("email", "name", "department", "role", "language")

# What people type in a spreadsheet, in either language, folded to lower case.
DEPARTMENTS = {
    "sales": "sales",
    "sale": "sales",
    "bán hàng": "sales",
    "kinh doanh": "sales",
    "marketing": "marketing",
    "tiếp thị": "marketing",
}
ROLES = {
    "": "staff",
    "staff": "staff",
    "nhân viên": "staff",
    "leader": "leader",
    "head": "leader",
    "head of department": "leader",
    "trưởng bộ phận": "leader",
    "trưởng phòng": "leader",
}
LANGUAGES = {
    "en": "en",
    "english": "en",
    "tiếng anh": "en",
    "vi": "vi",
    "vietnamese": "vi",
    "tiếng việt": "vi",
}


@dataclass(frozen=True, kw_only=True)
class Person:
    email: str
    name: str
    department: str
    role: str
    language: str


@dataclass(frozen=True, kw_only=True)
class LineError:
    line: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class Parsed:
    people: list[Person]
    errors: list[LineError]


class Rejected(ValueError):
    """The whole input is unusable (too large, not text, broken quoting); nothing is kept."""


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise Rejected(_("The file is larger than 1 MB. Split it into smaller files."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Rejected(
            _("The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.")
        ) from error


def delimiter(text: str) -> str:
    """Comma, or the tab of lines copied from a spreadsheet, or the semicolon some locales use."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    if ";" in first and "," not in first:
        return ";"
    return ","


def parse_people(text: str, *, default_language: str) -> Parsed:
    if "\x00" in text:
        raise Rejected(_("This is not a text file. Upload a CSV file or paste lines of text."))
    if text.count("\n") > MAX_LINES:
        raise Rejected(_("At most 2,000 lines at a time. Split the list and add it in parts."))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter(text), strict=True)
    columns: tuple[str, ...] = COLUMNS
    people: list[Person] = []
    errors: list[LineError] = []
    first_line: dict[str, int] = {}
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if not people and not errors and is_header(cells):
                columns = header(cells)
                continue
            line = reader.line_num
            try:
                person = read_person(cells, columns, default_language)
                if person.email in first_line:
                    raise ValueError(
                        _("%(email)s appears again (first on line %(line)s).")
                        % {"email": person.email, "line": first_line[person.email]}
                    )
            except ValueError as error:
                errors.append(LineError(line=line, reason=str(error)))
                continue
            first_line[person.email] = line
            people.append(person)
    except csv.Error as error:
        raise Rejected(
            _("Line %(line)s cannot be read as CSV (%(problem)s). Check its quotation marks.")
            % {"line": reader.line_num, "problem": error}
        ) from error
    return Parsed(people=people, errors=errors)


def is_header(cells: list[str]) -> bool:
    return any(cell.casefold() in {"email", "e-mail"} for cell in cells)


def header(cells: list[str]) -> tuple[str, ...]:
    columns = tuple(cell.casefold().replace("e-mail", "email") for cell in cells)
    unknown = [column for column in columns if column not in COLUMNS]
    if unknown:
        raise Rejected(
            _("Unknown column “%(column)s” in the first line. The columns are: %(columns)s.")
            % {"column": unknown[0], "columns": ", ".join(COLUMNS)}
        )
    return columns


def read_person(cells: list[str], columns: tuple[str, ...], default_language: str) -> Person:
    if len(cells) > len(columns):
        raise ValueError(
            _("Too many fields: at most %(count)s (%(columns)s).")
            % {"count": len(columns), "columns": ", ".join(columns)}
        )
    values = dict(zip(columns, cells, strict=False))
    email = values.get("email", "").lower()
    if not email:
        raise ValueError(_("An email address is needed."))
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValueError(
            _("“%(email)s” is not a valid email address.") % {"email": email}
        ) from error
    name = values.get("name", "")
    if len(name) > MAX_NAME:
        raise ValueError(_("The name is longer than 200 characters."))
    return Person(
        email=email,
        name=name,
        department=choice(values.get("department", ""), DEPARTMENTS, _unknown_department),
        role=choice(values.get("role", ""), ROLES, _unknown_role),
        language=choice(
            values.get("language", "") or default_language, LANGUAGES, _unknown_language
        ),
    )


def choice(value: str, known: dict[str, str], unknown: Callable[[str], str]) -> str:
    try:
        return known[value.casefold()]
    except KeyError:
        raise ValueError(unknown(value)) from None


def _unknown_department(value: str) -> str:
    if not value:
        return _("A department is needed: sales or marketing.")
    return _("Unknown department “%(value)s”: use sales or marketing.") % {"value": value}


def _unknown_role(value: str) -> str:
    return _("Unknown role “%(value)s”: use staff or leader (the head of the department).") % {
        "value": value
    }


def _unknown_language(value: str) -> str:
    return _("Unknown language “%(value)s”: use en or vi.") % {"value": value}
