"""`make run` starts the Procfile's processes with honcho, which stops them all when one exits: each must honour
VAR_DIR (a documented variable) and the Celery ones must stay quiet enough that the login printed before them
stays on screen."""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.support.processes import ROOT, ManagedProcess, child_env, wait_until


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile.dev").read_text().splitlines()
    return dict(
        (name.strip(), command.strip())
        for name, command in (line.split(":", 1) for line in lines if ":" in line and not line.lstrip().startswith("#"))
    )


def _state_files(folder: Path) -> dict[str, float]:
    found: dict[str, float] = {}
    for path in folder.glob("celerybeat-schedule*") if folder.exists() else ():
        try:
            found[path.name] = path.stat().st_mtime
        except FileNotFoundError:  # beat's shelve replaces its files (.bak, .dat) as it writes them
            continue
    return found


def test_it_runs_beat_from_the_procfile_with_its_schedule_in_var_dir_and_no_banner_nor_info_lines(tmp_path):
    var_dir, logs = tmp_path / "var", tmp_path / "logs"
    var_dir.mkdir()
    repository_var_before = _state_files(ROOT / "var")
    # Like honcho: the Procfile's line through the shell, from the project's folder.
    beat = ManagedProcess(["/bin/sh", "-c", _procfile()["beat"]], child_env(VAR_DIR=str(var_dir)), logs / "beat.log")
    beat.start()
    try:
        wait_until(lambda: _state_files(var_dir) or beat.proc.poll() is not None, timeout=60,
                   what="beat to write its schedule file")
        still_running = beat.proc.poll() is None
    finally:
        beat.stop()
    output = (logs / "beat.log").read_text(errors="replace")

    assert still_running, output
    assert _state_files(var_dir)
    assert _state_files(ROOT / "var") == repository_var_before
    assert "celery beat v" not in output  # the banner
    assert "beat: Starting" not in output  # beat's first info line


def test_it_starts_every_celery_process_of_make_run_quiet_at_warning_unless_told_otherwise():
    celery = {name: shlex.split(command) for name, command in _procfile().items() if "celery" in command}

    assert set(celery) == {"worker", "bulk", "feeds", "beat"}
    for name, words in celery.items():
        assert words[0] == "LOG_LEVEL=${CELERY_LOG_LEVEL:-warning}", name
        assert words[words.index("-A") + 2] == "-q", name  # celery's global --quiet: no banner
        assert not any(word.startswith("--loglevel") for word in words), name  # LOG_LEVEL decides (settings.LOGGING)
        assert not any(word.startswith(("-s", "--schedule")) for word in words), name  # settings: VAR_DIR
