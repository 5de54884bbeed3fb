from __future__ import annotations

import subprocess
import sys

MODULES = ["glossary", "glossary.store", "glossary.pinyin", "glossary.text", "glossary.cli", "api"]


def test_every_module_imports_without_warnings():
    # -W error: any warning from our code or a pinned dependency fails the import.
    code = "; ".join(f"import {m}" for m in MODULES)
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_core_does_not_import_flask():
    code = (
        "import sys, glossary.store, glossary.cli, glossary.pinyin; print('flask' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
