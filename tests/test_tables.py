from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from glossary import pinyin, store, tables
from tests.conftest import SHIPPED_GLOSSARY, client_of
from tests.test_skos import BASE, FEATURES

J = tables.JOIN


@pytest.fixture(scope="module")
def shipped():
    return store.load(SHIPPED_GLOSSARY)


@pytest.fixture
def features(tmp_path):
    path = tmp_path / "features.yaml"
    path.write_text(FEATURES, encoding="utf-8")
    return store.load(path)


def read_csv(text: str) -> pd.DataFrame:
    # As a user would: the bytes, UTF-8 with its BOM, every cell as text, no NaN.
    data = io.BytesIO(text.encode("utf-8"))
    return pd.read_csv(data, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def expected_rows(glossary) -> list[dict[str, str]]:
    """Each sense of each term as the CSV should give it, from the model."""
    rows = []
    for term in glossary.terms:
        for number, sense in enumerate(term.senses, start=1):
            rows.append({
                "id": term.id, "term": term.term, "status": term.status,
                "category": term.category or "", "aliases": J.join(term.aliases),
                "pinyin": pinyin.read(term.term).marks,
                "english": term.english.text if term.english else "", "sense": str(number),
                "definition": sense.definition or "", "scope": sense.scope or "",
                "parts": J.join(sense.parts), "sources": J.join(s.doc for s in sense.sources),
                "kinds": J.join(s.kind for s in sense.sources),
                "quotes": J.join(s.quote for s in sense.sources),
                "related": J.join(term.related), "reason": term.reason or "",
                "url": f"{BASE}terms/{term.id}",
            })  # fmt: skip
    return rows


def test_pandas_reads_every_field_of_the_shipped_glossary_intact(shipped):
    frame = read_csv(tables.csv_text(shipped, BASE))
    assert list(frame.columns) == list(tables.COLUMNS)
    assert len(frame) == sum(len(t.senses) for t in shipped.terms) == 1439
    assert frame.to_dict("records") == expected_rows(shipped)
    assert frame["id"].nunique() == 859


def test_lists_split_back_item_by_item(shipped):
    frame = read_csv(tables.csv_text(shipped, BASE))
    sources = [s for t in shipped.terms for sense in t.senses for s in sense.sources]
    split = [cell.split(J) for cell in frame["quotes"]]
    assert [q for cell in split for q in cell] == [s.quote for s in sources]
    assert sum(len(cell.split(J)) for cell in frame["sources"]) == len(sources) == 1484


def test_the_file_starts_with_a_bom_for_spreadsheets(features):
    text = tables.csv_text(features, BASE)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbfid,term,status")
    assert "\r\n" in text


def test_a_cell_that_looks_like_a_formula_is_defused(features):
    frame = read_csv(tables.csv_text(features, BASE))
    (quote,) = frame.loc[frame["id"] == "1310", "quotes"]
    assert quote == "'=深化“1310”工作体系"


def test_the_shipped_glossary_has_no_cell_to_defuse(shipped):
    rows = list(csv.reader(io.StringIO(tables.csv_text(shipped, BASE).removeprefix(tables.BOM))))
    assert not [cell for row in rows for cell in row if cell.startswith("'")]


def test_a_status_filter_and_every_feature(features):
    frame = read_csv(tables.csv_text(features, BASE, statuses=["reviewed", "deprecated"]))
    assert list(dict.fromkeys(frame["id"])) == [
        "san-ge-qu-fen-kai-lai", "wu-gong-li-nian", "531-chan-ye-ti-xi", "zheng-fu-gong-zuo"
    ]  # fmt: skip
    rows = {(r["id"], r["sense"]): r for r in frame.to_dict("records")}
    assert rows[("wu-gong-li-nian", "2")]["kinds"] == "inline"
    assert rows[("531-chan-ye-ti-xi", "1")]["english"] == "531 Industrial System"
    assert rows[("531-chan-ye-ti-xi", "1")]["parts"] == J.join(
        ["金融保险", "创意设计", "生命健康", "楼宇经济"]
    )
    assert rows[("zheng-fu-gong-zuo", "1")]["reason"] == "普通词语，不是术语"
    assert rows[("san-ge-qu-fen-kai-lai", "1")]["related"] == "wu-gong-li-nian"


def test_a_term_without_senses_has_one_row(tmp_path):
    source = FEATURES.replace(
        "redirects:", "  - {id: kong-tiao-mu, term: 空条目, status: candidate}\nredirects:"
    )
    path = tmp_path / "terms.yaml"
    path.write_text(source, encoding="utf-8")
    frame = read_csv(tables.csv_text(store.load(path), BASE))
    (row,) = frame[frame["id"] == "kong-tiao-mu"].to_dict("records")
    assert row["sense"] == "" and row["definition"] == "" and row["term"] == "空条目"


def test_json_lines_round_trip_the_shipped_glossary(shipped):
    lines = list(tables.jsonl_lines(shipped, BASE))
    assert len(lines) == 859 and all("\n" not in line for line in lines)
    records = [json.loads(line) for line in lines]
    for record, term in zip(records, shipped.terms, strict=True):
        assert (record["id"], record["term"], record["aliases"]) == (
            term.id,
            term.term,
            term.aliases,
        )
        assert [s["definition"] for s in record["senses"]] == [s.definition for s in term.senses]
        assert [[(q["doc"]["id"], q["kind"], q["quote"]) for q in s["sources"]]
                for s in record["senses"]] == [
            [(q.doc, q.kind, q.quote) for q in s.sources] for s in term.senses
        ]  # fmt: skip
        assert record["url"] == f"{BASE}api/v1/terms/{term.id}"


def test_json_lines_are_what_the_api_answers(features, tmp_path):
    # The API's own host as base: then each line is the body of GET /api/v1/terms/<id>.
    client = client_of(FEATURES, tmp_path)
    for line in tables.jsonl_lines(features, "http://localhost/"):
        record = json.loads(line)
        response = client.get(f"/api/v1/terms/{record['id']}")
        assert response.status_code == 200
        # Byte for byte as the API writes it: same fields, same order, same values.
        compact = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        assert compact == response.get_data(as_text=True)


def test_json_lines_match_the_api_for_shipped_terms(shipped, api):
    wanted = {
        "531-chan-ye-ti-xi",
        "san-ge-qu-fen-kai-lai",
        "1310-gong-zuo-ti-xi",
        "wu-gong-li-nian",
    }
    lines = [json.loads(line) for line in tables.jsonl_lines(shipped, "http://localhost/")]
    records = {r["id"]: r for r in lines if r["id"] in wanted}
    assert set(records) == wanted
    for term_id, record in records.items():
        assert record == api.get(f"/api/v1/terms/{term_id}").json
