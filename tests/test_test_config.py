"""Test apps clean up after themselves: their upload folders live in one folder
per process, removed when the process exits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from network import create_app
from network.config import upload_root_for_tests


def test_each_test_app_uploads_inside_the_process_folder():
    first, second = create_app("test"), create_app("test")
    folders = {Path(app.config["UPLOAD_DIR"]) for app in (first, second)}
    assert len(folders) == 2  # apps do not share files
    assert {folder.parent for folder in folders} == {Path(upload_root_for_tests())}


def test_the_process_folder_is_gone_when_the_process_exits():
    code = (
        "from network import create_app;"
        "app = create_app('test'); print(app.config['UPLOAD_DIR'])"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert ran.returncode == 0, ran.stderr
    folder = Path(ran.stdout.strip().splitlines()[-1])
    assert folder.parent.name.startswith("pn-test-uploads-")
    assert not folder.parent.exists()
