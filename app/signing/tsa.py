"""An RFC 3161 Time-Stamp Authority: a DER TimeStampReq in, a DER TimeStampResp out.

The core (`TimeStampAuthority`) needs no Flask: it is built from a `cryptography` private key (ECDSA or RSA),
the TSA certificate (extended key usage timeStamping only, critical, as RFC 3161 § 2.3 demands; see
`pki.issue(..., purpose="tsa")`) and the rest of its chain. `make_blueprint` puts it on HTTP (RFC 3161 § 3.4:
POST application/timestamp-query, answered with application/timestamp-reply).

A token is CMS SignedData (RFC 5652) over a TSTInfo, with the signed attributes content-type, message-digest,
signing-certificate-v2 (RFC 5035: SHA-256 of the TSA certificate), signing-time and CMS algorithm protection
(RFC 6211). Refusals are TimeStampResp values with status rejection and a PKIFailureInfo bit, sent with HTTP 200
as the RFC expects; only HTTP-level faults (content type, size, empty body) get HTTP error codes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

if TYPE_CHECKING:
    import flask

# 32473 is the Private Enterprise Number IANA reserves for examples and documentation (RFC 5612): an OID under
# it can never collide with a registered policy, and says plainly that this is not a published TSA policy.
# A deployment with its own enterprise number (or a 2.25.<uuid> OID, ITU-T X.667) should configure that instead.
DEFAULT_POLICY = "1.3.6.1.4.1.32473.3161.1"

QUERY_MEDIA_TYPE = "application/timestamp-query"
REPLY_MEDIA_TYPE = "application/timestamp-reply"
MAX_REQUEST_BYTES = 64 * 1024

# Message imprint algorithms we stamp, by asn1crypto name, with the digest length each must have.
IMPRINT_LENGTHS = {"sha256": 32, "sha384": 48, "sha512": 64}

# What asn1crypto can raise while decoding hostile bytes (UnicodeDecodeError is a ValueError).
_DECODING_ERRORS = (ValueError, TypeError, AttributeError, IndexError, KeyError, OverflowError)

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class TimeStampResponse(core.Sequence):
    """TimeStampResp as RFC 3161 § 2.4.2 has it: the token OPTIONAL, absent from every answer not granted.

    asn1crypto 1.5.1 declares `tsp.TimeStampResp.time_stamp_token` mandatory (wbond/asn1crypto#286, open), so it
    can neither encode a rejection nor parse one; use this schema to read any response from this TSA.
    """

    _fields = [  # noqa: RUF012 - asn1crypto's class-level schema
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


class _Refusal(Exception):
    """A request we will not stamp; becomes a rejection TimeStampResp."""

    def __init__(self, failure: str, text: str) -> None:
        super().__init__(text)
        self.failure = failure
        self.text = text


def _dotted(oid: str) -> str:
    """The OID in dotted form; ValueError if it is not one."""
    if not oid or not all(part.isdigit() for part in oid.split(".")):
        raise ValueError(f"not an object identifier: {oid!r}")
    return core.ObjectIdentifier(oid).dotted


def _asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _check_tsa_certificate(key: SigningKey, cert: x509.Certificate) -> None:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if key.public_key().public_bytes(der, spki) != cert.public_key().public_bytes(der, spki):
        raise ValueError("the private key does not belong to the TSA certificate")
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        raise ValueError("the TSA certificate has no extended key usage extension (timeStamping is required)") from None
    if not eku.critical or list(eku.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        raise ValueError("the TSA certificate must carry exactly the timeStamping extended key usage, critical")


class TimeStampAuthority:
    """Answers RFC 3161 requests, signing tokens with one key. Stateless apart from its settings: thread-safe."""

    def __init__(
        self,
        key: SigningKey,
        certificate: x509.Certificate,
        chain: Iterable[x509.Certificate] = (),
        *,
        policy: str = DEFAULT_POLICY,
        accepted_policies: Iterable[str] = (),
        accuracy: timedelta | None = timedelta(seconds=1),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`chain`: the certificates above the TSA's (intermediates, optionally the root), sent when certReq is
        true. `policy`: the TSA policy OID put in tokens when the client asks for none; `accepted_policies`: other
        OIDs a client may ask for. `accuracy`: how far genTime may be from true time (None: not stated).
        `clock`: returns an aware datetime (tests); defaults to the system clock.
        """
        if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise TypeError("the TSA key must be an EC or RSA private key")
        _check_tsa_certificate(key, certificate)
        if accuracy is not None and accuracy <= timedelta(0):
            raise ValueError("accuracy must be positive")
        self._key = key
        self._cert = _asn1_certificate(certificate)
        self._chain = [_asn1_certificate(c) for c in chain]
        self.policy = _dotted(policy)
        self.accepted_policies = frozenset({self.policy, *map(_dotted, accepted_policies)})
        self.accuracy = accuracy
        self._clock = clock or (lambda: datetime.now(UTC))
        self._digest = self._signer_digest(key)
        self._cert_hash = hashlib.sha256(self._cert.dump()).digest()

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return self._cert

    # -- requests -------------------------------------------------------------------------------------------------

    def respond(self, request_der: bytes) -> bytes:
        """Answer one DER TimeStampReq with a DER TimeStampResp (granted with a token, or a rejection)."""
        try:
            request = self._parse(request_der)
            policy = self._check(request)
        except _Refusal as refusal:
            return self._rejection(refusal).dump()
        return self._grant(request, policy).dump()

    @staticmethod
    def _parse(request_der: bytes) -> tsp.TimeStampReq:
        try:
            request = tsp.TimeStampReq.load(request_der, strict=True)
            request.native  # noqa: B018 - asn1crypto parses lazily; decode everything now, inside the try
        except _DECODING_ERRORS:
            raise _Refusal("bad_data_format", "the request is not a DER TimeStampReq") from None
        return request

    def _check(self, request: tsp.TimeStampReq) -> str:
        """Refuse what we cannot stamp; return the policy OID the token will carry."""
        if request["version"].native != "v1":
            raise _Refusal("bad_data_format", "only TimeStampReq version 1 is supported")
        imprint = request["message_imprint"]
        algorithm = imprint["hash_algorithm"]
        name = algorithm["algorithm"].native
        if name not in IMPRINT_LENGTHS:
            raise _Refusal(
                "bad_alg",
                f"hash algorithm {algorithm['algorithm'].dotted} is not accepted (sha256, sha384, sha512 are)",
            )
        parameters = algorithm["parameters"]
        if parameters.native is not None:
            raise _Refusal("bad_data_format", "the hash algorithm identifier has parameters other than NULL")
        if len(imprint["hashed_message"].native) != IMPRINT_LENGTHS[name]:
            raise _Refusal("bad_data_format", f"a {name} imprint is {IMPRINT_LENGTHS[name]} bytes long")
        if request["extensions"].native:
            raise _Refusal("unaccepted_extensions", "this TSA supports no request extensions")
        asked = request["req_policy"]
        if asked.native is None:
            return self.policy
        if asked.dotted not in self.accepted_policies:
            raise _Refusal("unaccepted_policy", f"TSA policy {asked.dotted} is not offered here")
        return asked.dotted

    # -- responses ------------------------------------------------------------------------------------------------

    @staticmethod
    def _rejection(refusal: _Refusal) -> TimeStampResponse:
        status = tsp.PKIStatusInfo(
            {
                "status": "rejection",
                "status_string": [refusal.text],
                "fail_info": tsp.PKIFailureInfo({refusal.failure}),
            }
        )
        return TimeStampResponse({"status": status})

    def _grant(self, request: tsp.TimeStampReq, policy: str) -> TimeStampResponse:
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("the clock must return an aware datetime")
        now = now.astimezone(UTC)
        info = self._tst_info(request, policy, now)
        token = self._sign(info.dump(), now, include_certs=bool(request["cert_req"].native))
        return TimeStampResponse({"status": tsp.PKIStatusInfo({"status": "granted"}), "time_stamp_token": token})

    def _tst_info(self, request: tsp.TimeStampReq, policy: str, now: datetime) -> tsp.TSTInfo:
        fields: dict[str, object] = {
            "version": "v1",
            "policy": policy,
            # the client's own encoding, byte for byte (some verifiers compare the whole structure)
            "message_imprint": tsp.MessageImprint.load(request["message_imprint"].dump()),
            "serial_number": secrets.randbits(128) | 1 << 127,  # 128 random bits, positive, fixed width
            "gen_time": core.GeneralizedTime(now),  # with microseconds
        }
        if self.accuracy is not None:
            fields["accuracy"] = self._accuracy(self.accuracy)
        if request["nonce"].native is not None:
            fields["nonce"] = request["nonce"].native
        fields["tsa"] = asn1_x509.GeneralName({"directory_name": self._cert.subject})
        return tsp.TSTInfo(fields)

    @staticmethod
    def _accuracy(accuracy: timedelta) -> tsp.Accuracy:
        micros_total = accuracy // timedelta(microseconds=1)
        seconds, rest = divmod(micros_total, 1_000_000)
        millis, micros = divmod(rest, 1000)
        value: dict[str, int] = {}
        if seconds:
            value["seconds"] = seconds
        if millis:
            value["millis"] = millis
        if micros:
            value["micros"] = micros
        return tsp.Accuracy(value)

    @staticmethod
    def _signer_digest(key: SigningKey) -> str:
        if isinstance(key, ec.EllipticCurvePrivateKey):
            size = key.curve.key_size
            return "sha256" if size <= 256 else "sha384" if size <= 384 else "sha512"
        return "sha256"

    def _signature_algorithm(self) -> algos.SignedDigestAlgorithm:
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return algos.SignedDigestAlgorithm({"algorithm": f"{self._digest}_ecdsa"})
        return algos.SignedDigestAlgorithm({"algorithm": f"{self._digest}_rsa", "parameters": core.Null()})

    def _raw_sign(self, data: bytes) -> bytes:
        algorithm = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[self._digest]
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(algorithm))
        return self._key.sign(data, padding.PKCS1v15(), algorithm)

    def _signed_attributes(
        self, content: bytes, now: datetime, digest_algorithm: algos.DigestAlgorithm
    ) -> cms.CMSAttributes:
        signing_certificate = tsp.SigningCertificateV2(
            {
                "certs": [
                    {
                        # hashAlgorithm left out: SHA-256 is its DEFAULT, which DER omits
                        "cert_hash": self._cert_hash,
                        "issuer_serial": {
                            "issuer": [asn1_x509.GeneralName({"directory_name": self._cert.issuer})],
                            "serial_number": self._cert.serial_number,
                        },
                    }
                ]
            }
        )
        protection = cms.CMSAlgorithmProtection(
            {"digest_algorithm": digest_algorithm, "signature_algorithm": self._signature_algorithm()}
        )
        digest = hashlib.new(self._digest, content).digest()
        return cms.CMSAttributes(
            [
                cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
                cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
                cms.CMSAttribute({"type": "signing_certificate_v2", "values": [signing_certificate]}),
                # RFC 5652 § 11.3: UTCTime for years 1950 to 2049, GeneralizedTime after
                cms.CMSAttribute(
                    {
                        "type": "signing_time",
                        "values": [cms.Time({"utc_time" if now.year < 2050 else "generalized_time": now})],
                    }
                ),
                cms.CMSAttribute({"type": "cms_algorithm_protection", "values": [protection]}),
            ]
        )

    def _sign(self, content: bytes, now: datetime, *, include_certs: bool) -> cms.ContentInfo:
        digest_algorithm = algos.DigestAlgorithm({"algorithm": self._digest})
        attributes = self._signed_attributes(content, now, digest_algorithm)
        # The signature covers the DER of the attributes as a SET OF (universal tag); asn1crypto sorts SET OF.
        signature = self._raw_sign(attributes.dump())
        signer = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": {
                            "issuer": self._cert.issuer,
                            "serial_number": self._cert.serial_number,
                        }
                    }
                ),
                "digest_algorithm": digest_algorithm,
                "signed_attrs": attributes,
                "signature_algorithm": self._signature_algorithm(),
                "signature": signature,
            }
        )
        signed_data: dict[str, object] = {
            "version": "v3",  # eContentType is not id-data (RFC 5652 § 5.1)
            "digest_algorithms": [digest_algorithm],
            "encap_content_info": {"content_type": "tst_info", "content": core.ParsableOctetString(content)},
            "signer_infos": [signer],
        }
        if include_certs:
            signed_data["certificates"] = [self._cert, *self._chain]
        return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed_data)})


def make_blueprint(get_authority: Callable[[], TimeStampAuthority]) -> flask.Blueprint:
    """`POST /tsa`: RFC 3161 over HTTP. Public (no login); the integrator must exempt it from CSRF.

    `get_authority` is called once per request, so the authority may be built lazily (from settings or the
    database) and replaced without registering the blueprint again.
    """
    from flask import Blueprint, Response, request
    from werkzeug.exceptions import RequestEntityTooLarge

    blueprint = Blueprint("tsa", __name__)

    def plain(text: str, status: int) -> Response:
        return Response(text + "\n", status=status, mimetype="text/plain")

    def timestamp() -> Response:
        if request.mimetype != QUERY_MEDIA_TYPE:
            return plain(f"expected Content-Type {QUERY_MEDIA_TYPE}", 415)
        request.max_content_length = MAX_REQUEST_BYTES
        try:
            body = request.get_data(cache=False)
        except RequestEntityTooLarge:
            return plain(f"a time-stamp request is at most {MAX_REQUEST_BYTES} bytes", 413)
        if not body:
            return plain("empty time-stamp request", 400)
        response = Response(get_authority().respond(body), mimetype=REPLY_MEDIA_TYPE)
        response.headers["Cache-Control"] = "no-store"
        return response

    timestamp.is_public = True  # type: ignore[attr-defined]  # see app.security.public
    blueprint.add_url_rule("/tsa", endpoint="timestamp", view_func=timestamp, methods=["POST"])
    return blueprint
