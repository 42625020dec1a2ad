"""Every pipeline component, registered in one place.

A component class takes one options dataclass (its ``Options`` attribute), filled from
the section of ``defaults.toml`` named like the component. Modules are imported only
when a pipeline that uses them is built, so ``import statemedia`` stays light.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from .config import Config, load_config, options_for
from .errors import PipelineError
from .pipeline import Component, Pipeline

__all__ = ["COMPONENTS", "build_pipeline", "create_component"]

# name -> "module:Class". The order of a pipeline comes from [pipeline] in defaults.toml.
COMPONENTS: dict[str, str] = {
    "numbers": "statemedia.normalize.numbers:NumberNormalizer",
    "juche": "statemedia.normalize.juche:JucheYears",
    "dates": "statemedia.normalize.dates:DateNormalizer",
    "acronyms": "statemedia.normalize.acronyms:AcronymExpander",
    "linguistic": "statemedia.extract.linguistic:LinguisticAnalyzer",
    "entities": "statemedia.extract.entities:EntityLinker",
    "quantities": "statemedia.extract.quantities:QuantityExtractor",
    "events": "statemedia.extract.events:EventExtractor",
    "activities": "statemedia.extract.activities:ActivityExtractor",
    "quotations": "statemedia.extract.quotations:QuotationExtractor",
    "techniques": "statemedia.rhetoric.techniques:TechniqueDetector",
    "rhetoric_terms": "statemedia.rhetoric.indicators:RhetoricTerms",
}


def create_component(name: str, config: Config) -> Component:
    try:
        module_name, class_name = COMPONENTS[name].split(":")
    except KeyError:
        raise PipelineError(f"unknown component {name!r}; known: {sorted(COMPONENTS)}", where="registry") from None
    cls: Any = getattr(importlib.import_module(module_name), class_name)
    component: Component = cls(options_for(cls.Options, config, name))
    return component


def build_pipeline(config: Config | None = None, names: Sequence[str] | None = None) -> Pipeline:
    """The pipeline named in ``config`` (package defaults if ``None``)."""
    config = config if config is not None else load_config()
    chosen = list(names) if names is not None else list(config["pipeline"]["components"])
    return Pipeline([create_component(name, config) for name in chosen])
