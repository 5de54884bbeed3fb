from __future__ import annotations

import pytest

from api import create_app
from tests.conftest import SHIPPED_GLOSSARY


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("index")
    return create_app(
        {"GLOSSARY_FILE": str(SHIPPED_GLOSSARY), "GLOSSARY_INDEX_DIR": str(index_dir)}
    )


@pytest.fixture
def api(shipped_app):
    return shipped_app.test_client()
