"""The judge↔candidate wire carries plain data exactly, and nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sandbox" / "harness"))

import wire


def round_trip(value: object) -> object:
    encoder = wire.Encoder(lambda v: {"t": "handle", "id": 7, "type": type(v).__name__})
    node = encoder.encode(value)
    return wire.Decoder(encoder.blobs, lambda n: ("handle", n["id"])).decode(node)


@pytest.mark.parametrize(
    "value",
    [None, True, 3, 2**80, 1.5, float("inf"), "text", b"\x00\xff", [1, (2, 3)], {"k": [1.0]}],
)
def test_plain_values_round_trip_exactly(value):
    result = round_trip(value)
    assert result == value
    assert type(result) is type(value)


def test_numpy_scalars_keep_their_type_even_when_they_subclass_float():
    for value in (np.float64(0.5), np.float32(1.25), np.int64(3), np.bool_(True)):
        result = round_trip(value)
        assert type(result) is type(value)
        assert result == value


def test_nan_survives():
    assert np.isnan(round_trip(np.float64("nan")))  # type: ignore[arg-type]
    assert np.isnan(round_trip(float("nan")))  # type: ignore[arg-type]


def test_arrays_round_trip_with_dtype_and_shape():
    array = np.arange(12, dtype=np.int32).reshape(3, 4)
    result = round_trip(array)
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.int32 and np.array_equal(result, array)


def test_a_generator_crosses_by_state_and_continues_the_same_stream():
    rng = np.random.default_rng(5)
    copy = round_trip(rng)
    assert isinstance(copy, np.random.Generator)
    assert copy.random() == np.random.default_rng(5).random()


def test_other_objects_become_handles():
    assert round_trip(object()) == ("handle", 7)
    assert round_trip(np.array([object()], dtype=object)) == ("handle", 7)


def test_a_pickle_payload_is_never_loaded():
    import io

    buffer = io.BytesIO()
    np.save(buffer, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    decoder = wire.Decoder([buffer.getvalue()], lambda n: None)
    with pytest.raises(ValueError, match="allow_pickle"):
        decoder.decode({"t": "nd", "b": 0})


def test_decoding_errors_are_not_value_errors():
    assert not issubclass(wire.WireError, ValueError)
    with pytest.raises(wire.WireError):
        wire.Decoder([], lambda n: None).decode({"t": "martian"})


def test_long_lists_of_plain_numbers_cross_fast_and_exactly():
    values = [0.1 * i for i in range(50_000)] + [3, "x", None, True]
    result = round_trip(values)
    assert result == values
    assert [type(v) for v in result[-4:]] == [int, str, type(None), bool]  # type: ignore[index]


def test_a_raw_list_with_a_nested_object_is_refused():
    with pytest.raises(wire.WireError):
        wire.Decoder([], lambda n: None).decode({"t": "list", "raw": [{"t": "v"}]})


def test_records_of_plain_values_cross_fast_and_exactly():
    lookup = {f"S{k:04d}": {"offset": k - 5, "avg": 0.1 * k, "n": k, "ok": k % 2 == 0}
              for k in range(150)}  # fmt: skip
    lookup["odd"] = {"nan": float("nan"), 1: None, "deep": [1, {"x": 2}]}
    result = round_trip(lookup)
    assert result.keys() == lookup.keys()  # type: ignore[attr-defined]
    assert result["S0007"] == lookup["S0007"]  # type: ignore[index]
    assert [type(v) for v in result["S0007"].values()] == [int, float, int, bool]  # type: ignore[index]
    odd = result["odd"]  # type: ignore[index]
    assert odd[1] is None and odd["deep"] == [1, {"x": 2}] and odd["nan"] != odd["nan"]
    node = wire.Encoder(lambda v: {}).encode(lookup)
    assert node["rk"][:1] == ["S0000"] and node["v"][0]["rv"] == [-5, 0.0, 0, True]


@pytest.mark.parametrize(
    "node",
    [
        {"t": "dict", "rk": [{"t": "v"}], "rv": [1]},
        {"t": "dict", "rk": ["a"], "rv": [[1]]},
        {"t": "dict", "rk": "ab", "rv": [1, 2]},
        {"t": "dict", "k": "ab", "v": "cd"},
        {"t": "dict", "rk": ["a", "b"], "rv": [1]},
    ],
)
def test_a_malformed_dict_is_refused(node: dict):
    with pytest.raises(wire.WireError):
        wire.Decoder([], lambda n: None).decode(node)
