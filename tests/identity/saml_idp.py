"""A real SAML 2.0 identity provider for the tests: pysaml2's IdP (`saml2.server.Server`,
signing with xmlsec1) behind a small HTTP server on a free port of 127.0.0.1, in a thread.

It publishes its metadata at /idp/metadata, takes AuthnRequests at /sso/redirect
(HTTP-Redirect), shows a login page, and answers with a signed assertion through an
auto-posting form (HTTP-POST), as any IdP does. `mode` makes it misbehave the way the
tests need: "wrong_audience", "expired", "unsigned", "sha1" (a deprecated signature).
"""

import datetime
import html
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256

XMLSEC = "/usr/bin/xmlsec1"


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test IdP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / "idp.key", directory / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


class SAMLIdP:
    def __init__(self, directory: Path, port: int, accounts: dict[str, dict]) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.entity_id = self.base + "/idp/metadata"
        self.accounts = accounts
        self.mode = "normal"
        self.pending: dict[str, tuple[object, str]] = {}
        self.key_file, self.cert_file = self_signed(directory)
        self.config = IdPConfig()
        self.config.load(
            {
                "entityid": self.entity_id,
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                (self.base + "/sso/redirect", BINDING_HTTP_REDIRECT)
                            ]
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "policy": {"default": {"lifetime": {"minutes": 15}}},
                        "want_authn_requests_signed": False,
                    }
                },
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "xmlsec_binary": XMLSEC,
                "metadata": {},
                "allow_unknown_attributes": True,
            }
        )
        self.server = Server(config=self.config)

    def trust(self, sp_metadata: str) -> None:
        """Register a service provider by its metadata (as an IdP admin uploads it)."""
        self.server.metadata.load("inline", sp_metadata)

    def metadata(self) -> bytes:
        return create_metadata_string(None, config=self.config)

    def login_page(self, query: dict[str, list[str]]) -> str:
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        key = secrets.token_urlsafe(16)
        self.pending[key] = (request, query.get("RelayState", [""])[0])
        return (
            f'<form method="post" action="/login"><input type="hidden" name="key" value="{key}">'
            '<input name="login"><button type="submit">Sign in</button></form>'
        )

    def respond(self, key: str, login: str) -> str:
        request, relay_state = self.pending.pop(key)
        args = self.server.response_args(request.message, [BINDING_HTTP_POST])
        if self.mode == "wrong_audience":
            args["sp_entity_id"] = "https://another-app.example/saml/metadata/"
        lifetime = {"minutes": -20} if self.mode == "expired" else {"minutes": 15}
        policy = Policy({"default": {"lifetime": lifetime, "name_form": NAME_FORMAT_URI}})
        signed = self.mode != "unsigned"
        email = self.accounts[login]["email"]
        response = self.server.create_authn_response(
            {"mail": [email], "givenName": [self.accounts[login].get("name", "")]},
            userid=login,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password",
                "authn_auth": self.entity_id,
            },
            sign_assertion=signed,
            sign_response=False,
            release_policy=policy,
            sign_alg=SIG_RSA_SHA1 if self.mode == "sha1" else SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA1 if self.mode == "sha1" else DIGEST_SHA256,
            **{k: args[k] for k in ("in_response_to", "destination", "sp_entity_id")},
        )
        http = self.server.apply_binding(
            BINDING_HTTP_POST, str(response), args["destination"], relay_state, response=True
        )
        return http["data"]

    def serve(self) -> ThreadingHTTPServer:
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def reply(self, body: str | bytes, content_type: str = "text/html") -> None:
                data = body.encode() if isinstance(body, str) else body
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url = urlsplit(self.path)
                if url.path == "/idp/metadata":
                    self.reply(idp.metadata(), "application/samlmetadata+xml")
                elif url.path == "/sso/redirect":
                    self.reply(idp.login_page(parse_qs(url.query)))
                else:
                    self.send_error(404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                self.reply(idp.respond(form["key"][0], html.unescape(form["login"][0])))

            def log_message(self, *args) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", int(self.base.rsplit(":", 1)[1])), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd
