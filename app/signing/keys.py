"""Private keys at rest: AES-256-GCM under a key-encryption key that never enters the database or the store.

The key-encryption key comes from `KEY_ENCRYPTION_KEY` (32 bytes, base64) or, when that is unset, is derived
from `SECRET_KEY` with HKDF. Production deployments should set their own and keep it outside the database.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

VERSION = b"k1"


def _kek() -> bytes:
    configured = current_app.config.get("KEY_ENCRYPTION_KEY")
    if configured:
        key = base64.b64decode(configured)
        if len(key) != 32:
            raise RuntimeError("KEY_ENCRYPTION_KEY must be 32 bytes, base64-encoded")
        return key
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"eoffice-kek", info=b"private keys at rest").derive(secret)


def seal(plaintext: bytes, purpose: str) -> bytes:
    """Encrypt; `purpose` (e.g. "credential:12") is bound as associated data, so a blob cannot be moved."""
    nonce = os.urandom(12)
    return VERSION + nonce + AESGCM(_kek()).encrypt(nonce, plaintext, purpose.encode())


def unseal(sealed: bytes, purpose: str) -> bytes:
    if not sealed.startswith(VERSION):
        raise ValueError("unknown sealed-key format")
    nonce, body = sealed[2:14], sealed[14:]
    return AESGCM(_kek()).decrypt(nonce, body, purpose.encode())


def private_key_der(key: object) -> bytes:
    """PKCS#8 DER of a `cryptography` private key, for sealing."""
    return key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
