"""`--config FILE` on the analysing commands, and `statemedia config`: a file changes what each command
does, a bad file exits 2 naming it and the reason before anything is written, and `statemedia config`
prints the effective settings with the file's values marked."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from statemedia.cli import app
from statemedia.cli import commands as _commands  # noqa: F401  (registers the commands)
from statemedia.config import load_config
from statemedia.ingest import pipeline_version
from statemedia.store import open_store

# No spaCy, no models: every analysis here runs in well under a second.
LIGHT = '[pipeline]\ncomponents = ["numbers", "juche", "dates", "acronyms"]\n'
LIGHTER = '[pipeline]\ncomponents = ["numbers", "juche", "dates"]\n'
STORY = (
    "Pyongyang, May 2 (KCNA) -- Kim Jong Un visited the Kim Chaek Iron Works yesterday.\n"
    "He gave three instructions to the officials there in Juche 113.\n"
)
runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def dates(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    annotations: list[dict[str, Any]] = json.loads(result.stdout)["annotations"]
    return [a["attrs"] for a in annotations if a["label"] == "date"]


def analysed_versions(db: Path) -> set[str | bool | None]:
    store = open_store(db)
    try:
        return {store.analysed_version(doc.content_hash) for doc in store.documents()}
    finally:
        store.close()


# --- analyze ---------------------------------------------------------------------------------------------


def test_analyze_config_changes_an_option(tmp_path: Path) -> None:
    story = write(tmp_path / "story.txt", STORY)
    light = write(tmp_path / "light.toml", LIGHT)
    absolute = write(tmp_path / "absolute.toml", LIGHT + "[dates]\nrelative = false\n")
    common = ("analyze", str(story), "--date", "2024-05-02", "--format", "json", "--config")
    # The same pipeline, with and without relative dates: "yesterday" is resolved only by default.
    relative = [d for d in dates(invoke(*common, str(light))) if d.get("relative") == "yesterday"]
    assert [d["value"] for d in relative] == ["2024-05-01"]
    assert all(d.get("relative") is None for d in dates(invoke(*common, str(absolute))))


def test_analyze_config_changes_the_pipeline(tmp_path: Path) -> None:
    story = write(tmp_path / "story.txt", STORY)
    no_dates = write(tmp_path / "no-dates.toml", '[pipeline]\ncomponents = ["numbers", "juche", "acronyms"]\n')
    result = invoke("analyze", str(story), "--date", "2024-05-02", "--format", "json", "--config", str(no_dates))
    assert dates(result) == []
    producers = {a["producer"] for a in json.loads(result.stdout)["annotations"]}
    assert "dates" not in producers and "numbers" in producers


GLUED = "Pyongyang, May 2 (KCNA) -- The respected ComradeKim Jong Uninspected the Kim Chaek Iron Works.\n"


def test_analyze_config_sets_capture(tmp_path: Path) -> None:
    """``[capture]`` reaches capture: here the repair of names glued to their neighbours."""
    story = write(tmp_path / "glued.txt", GLUED)
    unrepaired = write(tmp_path / "no-glue.toml", LIGHT + "[capture]\nglue_repair = false\n")
    common = ("analyze", str(story), "--format", "json", "--config")
    repaired = invoke(*common, str(write(tmp_path / "light.toml", LIGHT)))
    kept = invoke(*common, str(unrepaired))
    assert repaired.exit_code == 0 and kept.exit_code == 0, repaired.output + kept.output
    assert "Comrade Kim Jong Un inspected" in json.loads(repaired.stdout)["document"]["text"]
    assert "ComradeKim Jong Uninspected" in json.loads(kept.stdout)["document"]["text"]


@pytest.mark.parametrize("read_ahead", [False, True])
def test_ingest_config_sets_capture(tmp_path: Path, read_ahead: bool) -> None:
    """Also when a reader process captures (``[store] read_ahead_min_bytes`` reached)."""
    folder = tmp_path / "texts"
    folder.mkdir()
    write(folder / "a.txt", GLUED)
    store_section = f"[store]\nread_ahead_min_bytes = {0 if read_ahead else 10**9}\n"
    config = write(tmp_path / "c.toml", LIGHT + store_section + "[capture]\nglue_repair = false\n")
    db = tmp_path / "store.db"
    result = invoke("ingest", str(folder), "--db", str(db), "--workers", "1", "--config", str(config))
    assert result.exit_code == 0, result.output
    store = open_store(db)
    try:
        assert ["ComradeKim Jong Uninspected" in doc.text for doc in store.documents()] == [True]
    finally:
        store.close()


# --- ingest, reanalyze ------------------------------------------------------------------------------------


def test_ingest_and_reanalyze_record_the_configured_pipeline(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    write(folder / "a.txt", STORY)
    write(folder / "b.txt", STORY.replace("Iron Works", "Steel Complex"))
    light, lighter = write(tmp_path / "light.toml", LIGHT), write(tmp_path / "lighter.toml", LIGHTER)
    db = tmp_path / "store.db"
    rejects = str(tmp_path / "rejects.jsonl")
    base = ("--db", str(db), "--workers", "1")
    result = invoke("ingest", str(folder), *base, "--rejects", rejects, "--config", str(light))
    assert result.exit_code == 0, result.output
    v_light, v_lighter = pipeline_version(load_config(light)), pipeline_version(load_config(lighter))
    assert v_light != v_lighter and v_light != pipeline_version()
    assert analysed_versions(db) == {v_light}
    # Another pipeline makes every stored text stale: reanalyze redoes them all, recording its version.
    result = invoke("reanalyze", *base, "--config", str(lighter))
    assert result.exit_code == 0, result.output
    assert "re-analysed: 2" in result.stdout
    assert analysed_versions(db) == {v_lighter}
    # The same file again finds nothing to do.
    assert "re-analysed: 0" in invoke("reanalyze", *base, "--config", str(lighter)).stdout


def test_config_store_path_is_the_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STATEMEDIA_DB", raising=False)
    story = write(tmp_path / "story.txt", STORY)
    db = tmp_path / "from-config.db"
    settings = write(tmp_path / "s.toml", f"[store]\npath = {json.dumps(str(db))}\n")
    result = invoke(
        "ingest", str(story), "--no-analyze", "--rejects", str(tmp_path / "r.jsonl"), "--config", str(settings)
    )
    assert result.exit_code == 0, result.output
    assert db.is_file()


# --- serve, evaluate-techniques ------------------------------------------------------------------------------


def test_serve_config_sets_web_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    db = tmp_path / "store.db"
    story = write(tmp_path / "story.txt", STORY)
    assert (
        invoke("ingest", str(story), "--db", str(db), "--no-analyze", "--rejects", str(tmp_path / "r")).exit_code == 0
    )
    served: list[FastAPI] = []
    monkeypatch.setattr(uvicorn, "run", lambda web, **_: served.append(web))
    settings = write(tmp_path / "web.toml", LIGHT + "[web]\nmax_paste_chars = 50\n")
    result = invoke("serve", "--db", str(db), "--config", str(settings))
    assert result.exit_code == 0, result.output
    with TestClient(served[0]) as client:
        response = client.post("/analyze", data={"text": STORY})
    assert response.status_code == 413 and "over the limit of 50 " in response.text


class _Stop(Exception):
    pass


def test_evaluate_techniques_decodes_with_the_configured_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import statemedia.training.evaluate_techniques as evaluation

    seen: list[float] = []

    def evaluate(ptc: Path, model: Any) -> Any:
        # The scoring itself needs the PTC corpus and minutes; the model it would score is what --config sets.
        seen.append(model.decoder.threshold)
        raise _Stop

    monkeypatch.setattr(evaluation, "evaluate", evaluate)
    settings = write(tmp_path / "t.toml", '[techniques]\ntagger = "linear"\nthreshold = 0.33\n')
    result = invoke("evaluate-techniques", "--ptc", str(tmp_path), "--config", str(settings))
    assert isinstance(result.exception, _Stop)
    assert seen == [0.33]


# --- bad files ----------------------------------------------------------------------------------------------

BAD = {
    "missing": (None, "no such config file"),
    "bad TOML": ("[dates\nrelative = false\n", "not valid TOML"),
    "unknown section": ("[datez]\nrelative = false\n", "unknown section [datez]"),
    "unknown key": ('[techniques]\ntaggr = "minilm"\n', "unknown key 'taggr' in [techniques]"),
    "unknown key of a non-component": ("[store]\nbatchsize = 5\n", "unknown key 'batchsize' in [store]"),
    "wrong type": ('[dates]\nrelative = "no"\n', "[dates] relative"),
    "unknown tagger": ('[techniques]\ntagger = "minlm"\n', "choose one of linear, minilm"),
    "unknown component": ('[pipeline]\ncomponents = ["numbers", "datez"]\n', "unknown component(s) ['datez']"),
    "outside a section": ('tagger = "minilm"\n', "outside any [section]"),
}


def _bad_file(tmp_path: Path, case: str) -> Path:
    text = BAD[case][0]
    path = tmp_path / "bad.toml"
    return path if text is None else write(path, text)


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("command", ["analyze", "ingest", "reanalyze", "serve", "config", "evaluate-techniques"])
def test_bad_config_exits_2_before_any_work(tmp_path: Path, command: str, case: str) -> None:
    config = _bad_file(tmp_path, case)
    story = write(tmp_path / "story.txt", STORY)
    db = tmp_path / "store.db"
    rejects = tmp_path / "rejects.jsonl"
    args = {
        "analyze": ["analyze", str(story)],
        "ingest": ["ingest", str(story), "--db", str(db), "--rejects", str(rejects)],
        "reanalyze": ["reanalyze", "--db", str(db)],
        "serve": ["serve", "--db", str(db)],
        "config": ["config"],
        # A PTC folder that does not exist: the config is checked before the corpus or any model is read.
        "evaluate-techniques": ["evaluate-techniques", "--ptc", str(tmp_path / "no-ptc")],
    }[command]
    result = invoke(*args, "--config", str(config))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: config {config}: ")
    assert BAD[case][1] in lines[0]
    assert result.stdout == ""
    assert not db.exists() and not rejects.exists()


# --- statemedia config ----------------------------------------------------------------------------------------

MINE = '[techniques]\ntagger = "minilm"\nthreshold = 0.35\n\n[dates]\nrelative = false\n' + LIGHT


def test_config_prints_the_effective_settings_marking_the_files_values(tmp_path: Path) -> None:
    mine = write(tmp_path / "my.toml", MINE)
    result = invoke("config", "--config", str(mine))
    assert result.exit_code == 0, result.output
    assert tomllib.loads(result.stdout) == load_config(mine)
    lines = result.stdout.splitlines()
    marked = {line.split(" = ")[0] for line in lines if line.endswith(f"# from {mine}")}
    assert marked == {"tagger", "threshold", "relative", "components"}
    assert f'tagger = "minilm"  # from {mine}' in lines
    # Values the file left alone are the defaults, unmarked.
    assert "phrase_threshold = 0.5" in lines


def test_config_without_a_file_prints_the_defaults() -> None:
    result = invoke("config")
    assert result.exit_code == 0, result.output
    assert tomllib.loads(result.stdout) == load_config()
    assert "# from" not in result.stdout


def test_config_one_section(tmp_path: Path) -> None:
    mine = write(tmp_path / "my.toml", MINE)
    result = invoke("config", "--config", str(mine), "--section", "techniques")
    assert result.exit_code == 0, result.output
    shown = tomllib.loads(result.stdout)
    assert shown == {"techniques": load_config(mine)["techniques"]}
    assert shown["techniques"]["tagger"] == "minilm"


def test_config_json(tmp_path: Path) -> None:
    mine = write(tmp_path / "my.toml", MINE)
    result = invoke("config", "--config", str(mine), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == load_config(mine)
    one = invoke("config", "--config", str(mine), "--section", "dates", "--format", "json")
    assert json.loads(one.stdout) == {"dates": {"relative": False}}


def test_config_unknown_section_exits_2() -> None:
    result = invoke("config", "--section", "techniqes")
    assert result.exit_code == 2
    assert "techniqes" in result.stderr and "techniques" in result.stderr
    assert result.stdout == ""


def test_changed_options_change_the_pipeline_version(tmp_path: Path) -> None:
    """Another span tagger finds other spans: a store analysed with it is stale for the default."""
    tagger = tmp_path / "tagger.toml"
    tagger.write_text('[techniques]\ntagger = "minilm"\n')
    same = tmp_path / "same.toml"
    same.write_text('[techniques]\ntagger = "linear"\n')  # the default, written out
    assert pipeline_version(load_config(same)) == pipeline_version()
    assert pipeline_version(load_config(tagger)).startswith(pipeline_version() + "+")
