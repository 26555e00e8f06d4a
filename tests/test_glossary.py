"""GLOSSARY.md names every word of the domain the code uses, and says it as the UI does."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils.translation import override

from dokumen import models as dokumen_models
from dokumen.labels import TEST_PARTS, field_label
from dokumen.models import State
from ppid.roles import Role

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
# the actions of the lifecycle table (dokumen/lifecycle.py): value and code name
ACTIONS = {
    "kumpulkan": "COLLECT",
    "ubah": "EDIT",
    "klasifikasikan": "CLASSIFY",
    "kembalikan_ke_desk": "RETURN_TO_DESK",
    "ajukan": "SUBMIT",
    "tarik": "WITHDRAW",
    "kembalikan": "RETURN",
    "setujui": "APPROVE",
    "setujui_lengkap": "APPROVED",
    "batal_karena_ubah": "VOID_BY_EDIT",
    "tempatkan": "PLACE",
    "unggah": "UPLOAD",
    "hapus_berkas": "REMOVE_FILE",
    "arsipkan": "ARCHIVE",
    "tetapkan": "ESTABLISH",
    "berakhir": "END",
    "cabut": "REVOKE",
    "perbaikan_data": "REPAIR",
}


def rows(table_heading: str) -> list[list[str]]:
    """The cells of the table under a `## heading`."""
    section = GLOSSARY.split(f"## {table_heading}", 1)[1].split("\n## ", 1)[0]
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ][1:]


def test_the_readme_links_the_glossary():
    assert "[GLOSSARY.md](GLOSSARY.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_state_and_role_is_in_the_glossary():
    for state in State:
        assert f"`State.{state.name}`" in GLOSSARY
        assert state.value in GLOSSARY
    for role in Role:
        assert f"`Role.{role.name}`" in GLOSSARY and role.value in GLOSSARY


def test_every_model_of_the_domain_apps_is_in_the_glossary():
    for label in ("dokumen", "persetujuan", "publikasi"):
        for model in apps.get_app_config(label).get_models():
            name = model.__name__
            if name.startswith("Historical") or name in {"DikVersion", "DikVersionKantor"}:
                continue  # django-simple-history's copies; cache counters
            assert re.search(rf"`(\w+\.)*{name}\b", GLOSSARY), name


def test_every_action_is_in_the_table_with_its_code_name():
    actions = getattr(dokumen_models, "Action", None)  # the lead's lifecycle table
    expected = {a.value: a.name for a in actions} if actions else ACTIONS
    table = {row[0]: row[1] for row in rows("Lifecycle actions")}
    for value, name in expected.items():
        assert table.get(value) == f"`Action.{name}`", value
    for row in rows("Lifecycle actions"):
        assert len(row) == 6 and all(row), row  # value, code, meaning, from, to, who


@pytest.mark.django_db
def test_the_six_parts_are_in_the_glossary_as_the_pages_label_them():
    table = rows("The consequence test (uji konsekuensi, PKPU 22/2023 Pasal 25 ayat 3)")
    with override("id"):
        labels = [field_label(name) for name in TEST_PARTS]
    assert [row[0] for row in table] == labels
    assert [row[2] for row in table][: len(TEST_PARTS)][0].startswith("`Entri.test_material`")
