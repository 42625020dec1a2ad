"""Bytes → text: size limit, binary detection, BOM, then detected (not guessed) charset."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import BinaryInputError, DecodingError, EmptyInputError, InputTooLargeError
from .options import CaptureOptions

__all__ = ["check_size", "check_text", "decode_bytes", "read_text"]

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf_32"),
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)
# C0 controls other than tab, newline and carriage return (plus DEL): real text has none.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
# Surrogate code points: JSON's "\\ud800" escapes can make them, but no UTF-8 text holds one
# alone, so a text with one could never be hashed or stored.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def check_size(n_bytes: int, *, where: str, options: CaptureOptions) -> None:
    if n_bytes > options.max_bytes:
        raise InputTooLargeError(
            f"{n_bytes:,} bytes is over the {options.max_bytes:,}-byte limit", where=where
        )


def _check_not_binary(text: str, *, where: str, options: CaptureOptions) -> None:
    if "\x00" in text:
        raise BinaryInputError("binary data (NUL bytes), not text", where=where)
    controls = len(_CONTROL.findall(text))
    if controls > options.max_control_ratio * len(text):
        raise BinaryInputError(
            f"binary data ({controls} control characters in {len(text)}), not text", where=where
        )


def check_text(text: str, *, where: str, options: CaptureOptions) -> None:
    """The size, binary and encodability checks for input that arrives already decoded (records, stdin)."""
    check_size(len(text), where=where, options=options)
    _check_not_binary(text, where=where, options=options)
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise DecodingError(
            f"a lone surrogate ({bad.group()!a}) at character {bad.start()}: not encodable as UTF-8", where=where
        )


def decode_bytes(data: bytes, *, where: str, options: CaptureOptions) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with.

    Order: size, emptiness, BOM, binary check, strict UTF-8, then charset-normalizer
    restricted to ``options.encodings``. Strict UTF-8 first because valid UTF-8 is
    practically never anything else, while detectors can mislabel short UTF-8 texts.
    """
    check_size(len(data), where=where, options=options)
    if not data.strip():
        raise EmptyInputError("empty input", where=where)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodingError(
                    f"invalid {encoding} after its byte-order mark: {exc.reason}", where=where
                ) from exc
            _check_not_binary(text, where=where, options=options)
            return text, encoding
    # Latin-1 maps each byte to one character, so the control ratio is one of bytes.
    _check_not_binary(data.decode("latin_1"), where=where, options=options)
    try:
        return data.decode("utf_8"), "utf_8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(options.encodings)).best()
    if best is None:
        raise DecodingError(
            f"bytes are not valid in any supported encoding ({', '.join(options.encodings)})", where=where
        )
    return str(best), best.encoding


def read_text(data: bytes | str, *, where: str, options: CaptureOptions) -> tuple[str, str]:
    """Text and encoding of an input given as bytes (detected) or as text (checked only)."""
    if isinstance(data, bytes):
        return decode_bytes(data, where=where, options=options)
    check_text(data, where=where, options=options)
    return data, "utf-8"
