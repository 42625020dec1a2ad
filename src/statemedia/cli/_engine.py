"""The ``--engine`` and ``--address`` options of the commands that analyse many documents."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Engine(StrEnum):
    local = "local"
    ray = "ray"


EngineOption = Annotated[
    Engine, typer.Option(help="local: worker processes on this machine; ray: Ray Data on a Ray cluster")
]
AddressOption = Annotated[
    str | None,
    typer.Option(help="Ray cluster: auto (this machine's) or ray://host:10001 [default: start a local one]"),
]
