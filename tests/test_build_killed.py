"""A build killed with SIGKILL at any stage leaves the previous graph intact and servable."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from r2pkg.graph import store as stores
from r2pkg.graph.build import build
from r2pkg.graph.resources import CORPUS_DIR

STAGES = ["[load]", "[facts]", "[inference]", "[shacl]", "[store]"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data = tmp_path_factory.mktemp("served")
    build([CORPUS_DIR], data)
    return data


def _kill_build_at(data_dir, marker: str) -> None:
    """Start `r2pkg build` as a separate process and SIGKILL it when it prints the marker."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "from r2pkg.graph.cli import main; raise SystemExit(main())",
         "build", "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if line.startswith(marker):
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"the build finished before reaching {marker}"


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
def test_a_killed_build_leaves_the_served_graph_intact(served, stage):
    before = stores.current_build(served).root
    quads = len(stores.open_store(served))
    _kill_build_at(served, stage)
    assert stores.current_build(served).root == before
    assert len(stores.open_store(served)) == quads
    assert (before / "dumps" / "graph.trig").stat().st_size > 0


@pytest.mark.slow
def test_the_next_build_after_a_kill_succeeds_and_clears_the_leftovers(served):
    _kill_build_at(served, "[store]")
    build([CORPUS_DIR], served)
    assert len(list((served / "builds").iterdir())) <= 2
