"""Authenticated encryption of special-category and vulnerability data at rest.

Values are encrypted with AES-256-GCM from the ``cryptography`` package. Each token names the
key that made it, so keys can be rotated: ``equal-outcomes keys rotate`` adds a new primary key,
re-encrypts every stored value with it, then retires the old keys. The key ring is a JSON file
outside the database and the code (``EQUAL_OUTCOMES_KEY_FILE``, by default under
``EQUAL_OUTCOMES_HOME/keys``), written with mode 0600.

Each value is bound to the column it belongs to (the associated data), so a ciphertext copied
into another column fails to decrypt instead of being silently misread.

Every plaintext is padded before it is sealed (ISO/IEC 7816-4: a 0x80 byte, then zeros) to a
size bucket: the column's minimum, doubled until the value fits. AES-GCM keeps the length of
what it seals, so without padding a copy of the database tells "male" from "female" by the
token's length alone. A column whose values are codes sets its minimum above its longest
value, so all its tokens have one length; free text is known only to within a power of two.
Tokens written before padding (format ``eo1``) are still read; ``keys rotate`` rewrites them.

A value can also be bound to its row (format ``eo3``): the plaintext sealed is the row's
binding (the customer it is about) and the value, so the binding is authenticated with it.
Decrypting gives a ``Bound`` string that says which row it belongs to, and the field that reads
it (``core.fields.EncryptedTextField`` with ``bind``) refuses it on any other row: a token
copied to another customer's row fails instead of being read as theirs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TOKEN_PREFIX = "eo2"  # noqa: S105 - a format tag, not a secret: padded plaintext
BOUND_PREFIX = "eo3"  # padded plaintext that starts with the row it belongs to
UNPADDED_PREFIX = "eo1"  # tokens written before padding, still read
BINDING_END = "\x1f"  # ends the binding in a bound plaintext (unit separator)
NONCE_BYTES = 12
MIN_PADDED_BYTES = 32


class KeyRingError(RuntimeError):
    """The key ring is missing, malformed or lacks a key a stored value needs."""


class DecryptionError(ValueError):
    """A stored value could not be authenticated: tampered with, or from another column."""


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def padded_size(length: int, minimum: int = MIN_PADDED_BYTES) -> int:
    """The bucket a plaintext of ``length`` bytes is padded to (room left for the marker)."""
    size = max(minimum, MIN_PADDED_BYTES)
    while size <= length:
        size *= 2
    return size


def pad(data: bytes, minimum: int = MIN_PADDED_BYTES) -> bytes:
    return data + b"\x80" + bytes(padded_size(len(data), minimum) - len(data) - 1)


def unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise DecryptionError("a value's padding is malformed")
    return end[:-1]


class Bound(str):
    """A value with the row it belongs to (``to``: the customer's id, say)."""

    to: str

    def __new__(cls, value: str, to: object) -> Bound:
        made = super().__new__(cls, value)
        made.to = str(to)
        return made

    def __reduce__(self) -> tuple[type[Bound], tuple[str, str]]:
        return (Bound, (str(self), self.to))

    def sealed(self) -> bytes:
        if BINDING_END in self.to:
            raise ValueError("a binding cannot hold the unit separator")
        return f"{self.to}{BINDING_END}{self}".encode()


def _plaintext(value: str) -> tuple[str, bytes]:
    """The token format and the bytes sealed for ``value``."""
    if isinstance(value, Bound):
        return BOUND_PREFIX, value.sealed()
    return TOKEN_PREFIX, value.encode()


@dataclass(frozen=True)
class Key:
    key_id: str
    secret: bytes
    created: str


class KeyRing:
    """The set of keys, one of them primary (used for new values)."""

    def __init__(self, keys: dict[str, Key], primary: str, stores: bytes | None = None) -> None:
        """``stores``: the key the analytics stores (DuckDB files) are encrypted with. It is kept
        when the data keys rotate (the stores are rebuilt or copied, not re-encrypted value by
        value), and made when a ring written before it is next used."""
        if primary not in keys:
            raise KeyRingError(f"primary key {primary!r} is not in the key ring")
        self.keys = keys
        self.primary = primary
        self.stores = stores
        self._ciphers: dict[str, AESGCM] = {}

    def _cipher(self, key_id: str) -> AESGCM:
        """One cipher object per key: building one costs more than a small encryption."""
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            cipher = self._ciphers[key_id] = AESGCM(self.keys[key_id].secret)
        return cipher

    @classmethod
    def generate(cls) -> KeyRing:
        key = _new_key()
        return cls({key.key_id: key}, key.key_id, secrets.token_bytes(32))

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        try:
            raw = json.loads(path.read_text())
            keys = {
                key_id: Key(key_id, base64.b64decode(item["key"]), item["created"])
                for key_id, item in raw["keys"].items()
            }
            stores = base64.b64decode(raw["stores"]) if "stores" in raw else None
            ring = cls(keys, raw["primary"], stores)
        except FileNotFoundError:
            raise KeyRingError(f"no key ring at {path}") from None
        except (KeyError, ValueError, TypeError) as error:
            raise KeyRingError(f"the key ring at {path} is malformed: {error}") from None
        for key in keys.values():
            if len(key.secret) != 32:
                raise KeyRingError(f"key {key.key_id} in {path} is not 256 bits")
        if ring.stores is not None and len(ring.stores) != 32:
            raise KeyRingError(f"the stores' key in {path} is not 256 bits")
        return ring

    def save(self, path: Path) -> None:
        """Write atomically with owner-only permissions."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        document = {
            "format": 1,
            "primary": self.primary,
            **({"stores": base64.b64encode(self.stores).decode()} if self.stores else {}),
            "keys": {
                key.key_id: {"key": base64.b64encode(key.secret).decode(), "created": key.created}
                for key in self.keys.values()
            },
        }
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(document, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)

    def with_new_primary(self) -> KeyRing:
        key = _new_key()
        return KeyRing({**self.keys, key.key_id: key}, key.key_id, self.stores)

    def only_primary(self) -> KeyRing:
        return KeyRing({self.primary: self.keys[self.primary]}, self.primary, self.stores)

    def with_stores_key(self) -> KeyRing:
        """This ring with a key for the analytics stores (a ring written before had none)."""
        if self.stores is not None:
            return self
        return KeyRing(self.keys, self.primary, secrets.token_bytes(32))

    def encrypt(self, plaintext: str, context: str, minimum: int = MIN_PADDED_BYTES) -> str:
        """``plaintext`` sealed for ``context`` (the column); a ``Bound`` one with its row."""
        prefix, data = _plaintext(plaintext)
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._cipher(self.primary).encrypt(nonce, pad(data, minimum), context.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"{prefix}:{self.primary}:{body}"

    def encrypt_many(
        self, plaintexts: list[str], context: str, minimum: int = MIN_PADDED_BYTES
    ) -> list[str]:
        """``encrypt`` for a column of values at once (imports): the same tokens, each with its
        own random nonce, without the per-call overhead that dominates small values."""
        seal = self._cipher(self.primary).encrypt
        tails: dict[int, bytes] = {}  # the padding for each plaintext length met
        associated = context.encode()
        nonces = os.urandom(NONCE_BYTES * len(plaintexts))
        prefixes = {kind: f"{kind}:{self.primary}:" for kind in (TOKEN_PREFIX, BOUND_PREFIX)}
        # What ``base64.urlsafe_b64encode`` does, without its two layers of Python calls.
        encode, urlsafe = binascii.b2a_base64, _URLSAFE
        tokens = []
        for index, plaintext in enumerate(plaintexts):
            nonce = nonces[index * NONCE_BYTES : (index + 1) * NONCE_BYTES]
            kind, data = _plaintext(plaintext)
            tail = tails.get(len(data))
            if tail is None:
                tail = tails[len(data)] = pad(data, minimum)[len(data) :]
            sealed = nonce + seal(nonce, data + tail, associated)
            tokens.append(
                prefixes[kind] + encode(sealed, newline=False).translate(urlsafe).decode()
            )
        return tokens

    def decrypt(self, token: str, context: str) -> str:
        try:
            prefix, key_id, body = token.split(":", 2)
        except ValueError:
            raise DecryptionError("not an encrypted value") from None
        if prefix not in {TOKEN_PREFIX, BOUND_PREFIX, UNPADDED_PREFIX}:
            raise DecryptionError(f"unknown token format {prefix!r}")
        if key_id not in self.keys:
            raise KeyRingError(f"key {key_id} is not in the key ring; restore it from backup")
        raw = base64.urlsafe_b64decode(body)
        try:
            plain = self._cipher(key_id).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
            )
        except InvalidTag:
            raise DecryptionError(f"a value in {context} failed authentication") from None
        if prefix == UNPADDED_PREFIX:
            return plain.decode()
        text = unpad(plain).decode()
        if prefix == BOUND_PREFIX:
            to, _end, value = text.partition(BINDING_END)
            return Bound(value, to)
        return text

    @staticmethod
    def key_id_of(token: str) -> str:
        return token.split(":", 2)[1]


def _new_key() -> Key:
    created = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Key(f"k{created}{secrets.token_hex(3)}", AESGCM.generate_key(bit_length=256), created)


_lock = threading.Lock()
# Each key file's ring as last read, with the file's identity then: a rotation by another
# process replaces the file (a new inode), and the next use here reads it again, so no process
# goes on encrypting with a key the rotation has retired.
_cache: dict[Path, tuple[tuple[int, int, int], KeyRing]] = {}


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def key_file() -> Path:
    from django.conf import settings

    path: Path = settings.EQUAL_OUTCOMES_KEY_FILE
    return path


def keyring() -> KeyRing:
    """The configured key ring, created on first use when there is none yet, and read again
    whenever the key file has changed since it was last read (a rotation by another process)."""
    path = key_file()
    with _lock:
        identity = _identity(path)
        cached = _cache.get(path)
        if cached is not None and cached[0] == identity:
            return cached[1]
        if identity is None:
            ring = KeyRing.generate()
            ring.save(path)
            identity = _identity(path)
            assert identity is not None
        else:
            ring = KeyRing.load(path)
        _cache[path] = (identity, ring)
        return ring


def install_keyring(ring: KeyRing) -> None:
    """Save ``ring`` as the configured key ring and use it from now on."""
    path = key_file()
    with _lock:
        ring.save(path)
        identity = _identity(path)
        assert identity is not None
        _cache[path] = (identity, ring)


def forget_cached_keyring() -> None:
    with _lock:
        _cache.clear()


def stores_key() -> str:
    """The analytics stores' encryption key, as DuckDB takes it (hex). Added to a key ring
    written before the stores were encrypted, the first time it is asked for."""
    ring = keyring()
    if ring.stores is None:
        install_keyring(ring.with_stores_key())
        ring = keyring()
    assert ring.stores is not None
    return ring.stores.hex()
