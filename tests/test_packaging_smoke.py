"""packaging/smoke.py checks what must hold of the standalone build: the size limit is a
real check, not a printed goal."""

from __future__ import annotations

import pytest

from tests.benchmarks.packaging import smoke_module


@pytest.fixture
def smoke():
    return smoke_module()


def bundle(tmp_path, megabytes: float):
    """A onedir bundle of ``megabytes`` (sparse files: nothing is written)."""
    folder = tmp_path / "dist" / "reader"
    (folder / "_internal").mkdir(parents=True)
    program = folder / "reader"
    with open(program, "wb") as handle:
        handle.truncate(10**6)
    with open(folder / "_internal" / "libQt6Core.so.6", "wb") as handle:
        handle.truncate(int((megabytes - 1) * 10**6))
    return program


def test_a_bundle_over_the_size_limit_fails_the_smoke_test(smoke, tmp_path):
    program = bundle(tmp_path, smoke.SIZE_LIMIT_MB + 0.5)
    with pytest.raises(smoke.SmokeFailure, match=f"over the limit of {smoke.SIZE_LIMIT_MB} MB"):
        smoke.check_size(program)


def test_a_bundle_within_the_size_limit_passes(smoke, tmp_path):
    program = bundle(tmp_path, smoke.SIZE_LIMIT_MB - 0.5)
    assert smoke.check_size(program) == pytest.approx(smoke.SIZE_LIMIT_MB - 0.5)
