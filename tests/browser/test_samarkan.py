"""The page editor on a phone: the PPID draws a box with a finger and one with the mouse over
the words that stay exempted; the copy made of it has neither the words nor their pixels."""

import json

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import expect

from dokumen.models import SalinanSamaran, State
from tests.browser import page_checks
from tests.factories import PASSWORD, EntriFactory, UserFactory
from tests.test_samaran import KEPT, SECRET, file_of, stored, text_of, text_pdf, union, word_boxes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NUMBER = "7315012345678901"


def test_boxes_drawn_by_touch_and_mouse_are_burned_in(browser, live_server, artifacts_dir):
    UserFactory(username="ppid", roles=["PPID"])
    entri = EntriFactory(classified=True, state=State.DITETAPKAN)
    original = text_pdf(KEPT, SECRET)
    file_of(entri, original)
    secret = union(word_boxes(original, "NIK"))
    number = union(word_boxes(original, NUMBER))

    context = browser.new_context(viewport=page_checks.PHONE, has_touch=True, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("ppid")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/meja/entri/{entri.pk}/salinan-samaran/")
    page.get_by_role("link", name="Samarkan").click()
    image = page.locator(".redact-page img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert page_checks.problems(page) == [], page.url

    def at(box, fx, fy):
        rect = image.bounding_box()
        return (
            rect["x"] + (box["x"] + fx * box["w"]) * rect["width"],
            rect["y"] + (box["y"] + fy * box["h"]) * rect["height"],
        )

    # the top of the page below the sticky tools, where the words are
    page.evaluate(
        "img => window.scrollBy(0, img.getBoundingClientRect().top - 220)", image.element_handle()
    )
    # a finger over "NIK" (a little beyond it, as a person draws)
    cdp = context.new_cdp_session(page)
    start, end = at(secret, -0.05, -0.3), at(secret, 1.02, 1.3)
    points = [start, ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2), end]
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": points[0][0], "y": points[0][1]}]},
    )
    for point in points[1:]:
        cdp.send(
            "Input.dispatchTouchEvent",
            {"type": "touchMove", "touchPoints": [{"x": point[0], "y": point[1]}]},
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expect(page.locator(".redact-box")).to_have_count(1)

    # the mouse over the number, from its end backwards
    page.mouse.move(*at(number, 1.02, 1.3))
    page.mouse.down()
    page.mouse.move(*at(number, 0.5, 0.5), steps=3)
    page.mouse.move(*at(number, -0.01, -0.3), steps=3)
    page.mouse.up()
    expect(page.locator(".redact-box")).to_have_count(2)
    boxes = json.loads(page.locator("[data-boxes]").input_value())
    assert [b["page"] for b in boxes] == [0, 0]
    page.screenshot(path=str(artifacts_dir / "samarkan-ponsel.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("button", name="Buat salinan yang disamarkan").click()
    expect(page.locator("#salinan")).to_contain_text("dpt-disamarkan.pdf")

    salinan = SalinanSamaran.objects.get(entri=entri)
    data = stored(salinan)
    assert text_of(data).strip() == ""
    document = pdfium.PdfDocument(data)
    try:
        rendered = document[0].render(scale=2).to_pil().convert("L")
    finally:
        document.close()
    width, height = rendered.size
    for box in (secret, number):
        middle = (int((box["x"] + box["w"] / 2) * width), int((box["y"] + box["h"] / 2) * height))
        assert rendered.getpixel(middle) < 10, box  # black where the word was
    # the words that were not covered are still on the page
    kept = union(word_boxes(original, KEPT))
    crop = rendered.crop(
        (
            int(kept["x"] * width),
            int(kept["y"] * height),
            int((kept["x"] + kept["w"]) * width),
            int((kept["y"] + kept["h"]) * height),
        )
    )
    assert crop.getextrema()[1] > 200 and crop.getextrema()[0] < 100
    context.close()
