"""The helpers that make faults for real (tests/faults.py) never hide a failure: as root
(CI) a fault that cannot be made fails the test; only a run that is not root skips."""

from __future__ import annotations

import os

import pytest

from tests.faults import SmallDisk


def test_a_small_disk_that_cannot_be_mounted_as_root_fails_the_test(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the policy as root is what is tested; CI runs as root")
    with pytest.raises(BaseException) as raised:  # a skip is a BaseException too
        SmallDisk(tmp_path / "disk", "no-such-size")
    assert raised.type is pytest.fail.Exception, f"{raised.type.__name__}: {raised.value}"
    assert "failed" in str(raised.value)
