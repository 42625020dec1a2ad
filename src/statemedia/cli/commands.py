"""The list of CLI command modules: importing one registers its command on ``app``."""

from __future__ import annotations

from . import (
    activities,  # noqa: F401
    alerts,  # noqa: F401
    analyze,  # noqa: F401
    changes,  # noqa: F401
    check_activities,  # noqa: F401
    claims,  # noqa: F401
    config,  # noqa: F401
    diff,  # noqa: F401
    evaluate_activities,  # noqa: F401
    evaluate_quotations,  # noqa: F401
    evaluate_techniques,  # noqa: F401
    export,  # noqa: F401
    ingest,  # noqa: F401
    migrate_store,  # noqa: F401
    quotations,  # noqa: F401
    reanalyze,  # noqa: F401
    search,  # noqa: F401
    serve,  # noqa: F401
    show,  # noqa: F401
    watch,  # noqa: F401
)
