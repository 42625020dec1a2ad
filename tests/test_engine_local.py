"""Local worker processes (engine/local.py): how workers share the machine's cores."""

from __future__ import annotations

import torch

from statemedia.engine.local import share_cores


def test_a_worker_caps_torch_at_its_share_of_the_cores() -> None:
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        share_cores(1)
        assert torch.get_num_threads() == 1
        share_cores(4)  # a share is a cap: it never raises the count
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
