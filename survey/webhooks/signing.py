"""Standard Webhooks signatures (https://www.standardwebhooks.com): the signed content is
"{webhook-id}.{webhook-timestamp}.{body}", signed with HMAC-SHA256 under the secret's bytes
(base64 after "whsec_"), and sent as "v1,<base64 signature>" in `webhook-signature`."""

import base64
import hashlib
import hmac

from survey.webhooks.models import SECRET_PREFIX


def secret_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(*, secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=secret, message_id=message_id, timestamp=timestamp, body=body
        ),
    }
