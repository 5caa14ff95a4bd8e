from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from equal_outcomes.core.crypto import DecryptionError, KeyRing, KeyRingError


def test_a_value_decrypts_only_in_the_column_it_was_written_for() -> None:
    ring = KeyRing.generate()
    token = ring.encrypt("bisexual", "customers.profileanswer.value")
    assert "bisexual" not in token
    assert ring.decrypt(token, "customers.profileanswer.value") == "bisexual"
    with pytest.raises(DecryptionError):
        ring.decrypt(token, "customers.supportneed.details")


def test_a_tampered_value_is_detected() -> None:
    ring = KeyRing.generate()
    token = ring.encrypt("domestic_abuse", "ctx")
    prefix, key_id, body = token.split(":")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DecryptionError):
        ring.decrypt(f"{prefix}:{key_id}:{flipped}", "ctx")


def test_the_same_value_encrypts_differently_each_time() -> None:
    ring = KeyRing.generate()
    assert ring.encrypt("muslim", "ctx") != ring.encrypt("muslim", "ctx")


def test_a_column_encrypted_at_once_reads_back_and_repeats_no_nonce() -> None:
    ring = KeyRing.generate()
    values = ["muslim", "muslim", "", "cymraeg", "muslim"]
    tokens = ring.encrypt_many(values, "customers.profileanswer.value")
    assert [ring.decrypt(t, "customers.profileanswer.value") for t in tokens] == values
    assert len(set(tokens)) == len(tokens)
    with pytest.raises(DecryptionError):
        ring.decrypt(tokens[0], "customers.supportneed.details")


def test_a_value_made_with_a_retired_key_names_the_missing_key() -> None:
    old = KeyRing.generate()
    token = old.encrypt("x", "ctx")
    newer = old.with_new_primary().only_primary()
    with pytest.raises(KeyRingError, match="restore it from backup"):
        newer.decrypt(token, "ctx")


def test_the_key_ring_file_is_private_and_round_trips(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ring = KeyRing.generate().with_new_primary()
    path = tmp_path / "keys" / "keyring.json"
    ring.save(path)
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = KeyRing.load(path)
    assert loaded.primary == ring.primary
    assert set(loaded.keys) == set(ring.keys)
    assert loaded.decrypt(ring.encrypt("v", "c"), "c") == "v"


def test_a_malformed_key_ring_is_refused_with_a_reason(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "keyring.json"
    path.write_text('{"primary": "k1", "keys": {}}')
    with pytest.raises(KeyRingError, match="primary key"):
        KeyRing.load(path)


@given(st.text(), st.text())
def test_every_text_reads_back_and_short_ones_share_one_length(first: str, second: str) -> None:
    ring = KeyRing.generate()
    tokens = [ring.encrypt(text, "ctx", 64) for text in (first, second)]
    assert [ring.decrypt(token, "ctx") for token in tokens] == [first, second]
    assert [ring.decrypt(t, "ctx") for t in ring.encrypt_many([first, second], "ctx", 64)] == [
        first,
        second,
    ]
    if max(len(first.encode()), len(second.encode())) < 64:
        assert len(tokens[0]) == len(tokens[1])


def test_values_written_before_padding_are_still_read() -> None:
    ring = KeyRing.generate()
    nonce = bytes(12)
    sealed = AESGCM(ring.keys[ring.primary].secret).encrypt(nonce, b"female", b"ctx")
    token = f"eo1:{ring.primary}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"
    assert ring.decrypt(token, "ctx") == "female"
