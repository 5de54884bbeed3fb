from __future__ import annotations

from glossary import lint, store
from tests.conftest import SAMPLE


def test_parts_that_disagree_with_the_number_in_the_name_are_flagged(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(SAMPLE.replace("成果共享]", "成果共享, 多余一项]"), encoding="utf-8")
    warnings = lint.warnings(store.load(path))
    assert [(w.path, w.message) for w in warnings] == [
        ("terms[1].senses[0].parts", "“五共”理念 lists 6 parts but its name announces 5")
    ]


def test_parts_that_agree_raise_nothing(sample_file):
    assert lint.warnings(store.load(sample_file)) == []


def test_candidate_already_reviewed_under_an_alias_is_flagged(tmp_path):
    path = tmp_path / "terms.yaml"
    source = SAMPLE.replace("term: “1310”", "term: 五共理念")
    path.write_text(source, encoding="utf-8")
    warnings = lint.warnings(store.load(path))
    assert [w.path for w in warnings] == ["terms[2].status"]
    assert "already reviewed as 'wu-gong-li-nian'" in warnings[0].message
