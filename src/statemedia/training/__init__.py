"""Training and evaluation of statemedia's learned components (kept apart from the runtime).

Nothing under ``statemedia.training`` is imported when a document is analysed: the runtime
loads the artefacts these modules write into ``statemedia/data``.
"""
