class TokenConverter:
    """A personal link token: exactly 32 URL-safe characters, so anything else is a plain 404."""

    regex = "[A-Za-z0-9_-]{32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class KeyConverter(TokenConverter):
    """A respondent's key in token-free survey URLs: exactly 22 URL-safe characters."""

    regex = "[A-Za-z0-9_-]{22}"
