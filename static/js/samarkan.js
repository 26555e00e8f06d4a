// The page editor of a redacted copy: boxes drawn over page images with pointer events (mouse,
// pen and touch alike). Boxes are kept as fractions of the page (0-1), so the server may
// burn them in at any resolution. No library, no inline script (the CSP allows none).
(function () {
  "use strict";

  var MIN = 0.004; // a tap is not a box

  function setup(form) {
    var input = form.querySelector("[data-boxes]");
    var modeButton = form.querySelector("[data-mode]");
    var undo = form.querySelector("[data-undo]");
    var count = form.querySelector("[data-count]");
    var labels = document.querySelector("[data-redactor-labels]") || { dataset: {} };
    var boxes = [];
    var drawing = true;

    function clamp(v) {
      return Math.max(0, Math.min(1, v));
    }

    function place(el, box) {
      el.style.left = box.x * 100 + "%";
      el.style.top = box.y * 100 + "%";
      el.style.width = box.w * 100 + "%";
      el.style.height = box.h * 100 + "%";
    }

    function save() {
      input.value = JSON.stringify(
        boxes.map(function (b) {
          return { page: b.page, x: b.x, y: b.y, w: b.w, h: b.h };
        })
      );
      if (count) count.textContent = (labels.dataset.labelCount || "") + " " + boxes.length;
    }

    function remove(box) {
      boxes = boxes.filter(function (b) {
        return b !== box;
      });
      box.el.remove();
      save();
    }

    function add(figure, page, box) {
      var el = document.createElement("button");
      el.type = "button";
      el.className = "redact-box";
      el.setAttribute("aria-label", "×");
      box.page = page;
      box.el = el;
      place(el, box);
      el.addEventListener("click", function (event) {
        event.preventDefault();
        remove(box);
      });
      figure.appendChild(el);
      boxes.push(box);
      return box;
    }

    function point(figure, event) {
      var img = figure.querySelector("img");
      var rect = img.getBoundingClientRect();
      return {
        x: clamp((event.clientX - rect.left) / rect.width),
        y: clamp((event.clientY - rect.top) / rect.height),
      };
    }

    form.querySelectorAll(".redact-page").forEach(function (figure) {
      var page = parseInt(figure.dataset.page, 10);
      var start = null;
      var current = null;
      figure.addEventListener("pointerdown", function (event) {
        if (!drawing || event.button > 0 || event.target.classList.contains("redact-box")) return;
        event.preventDefault();
        start = point(figure, event);
        current = add(figure, page, { x: start.x, y: start.y, w: 0, h: 0 });
        try {
          figure.setPointerCapture(event.pointerId); // the drag goes on outside the page
        } catch (e) {
          /* a pointer the browser no longer tracks: the box still follows it over the page */
        }
      });
      figure.addEventListener("pointermove", function (event) {
        if (!current) return;
        var p = point(figure, event);
        current.x = Math.min(start.x, p.x);
        current.y = Math.min(start.y, p.y);
        current.w = Math.abs(p.x - start.x);
        current.h = Math.abs(p.y - start.y);
        place(current.el, current);
      });
      function end() {
        if (!current) return;
        if (current.w < MIN || current.h < MIN) remove(current);
        current = null;
        start = null;
        save();
      }
      figure.addEventListener("pointerup", end);
      figure.addEventListener("pointercancel", end);
    });

    // boxes sent back with a refusal are shown again
    try {
      JSON.parse(input.value || "[]").forEach(function (b) {
        var figure = form.querySelector('.redact-page[data-page="' + b.page + '"]');
        if (figure) add(figure, b.page, { x: b.x, y: b.y, w: b.w, h: b.h });
      });
    } catch (e) {
      input.value = "[]";
    }

    function setMode(on) {
      drawing = on;
      form.classList.toggle("drawing", on);
      modeButton.setAttribute("aria-pressed", on ? "true" : "false");
      modeButton.textContent = on ? labels.dataset.labelModeDraw : labels.dataset.labelModeScroll;
    }
    modeButton.addEventListener("click", function () {
      setMode(!drawing);
    });
    undo.addEventListener("click", function () {
      if (boxes.length) remove(boxes[boxes.length - 1]);
    });
    setMode(true);
    save();
    labels.hidden = true;
  }

  document.querySelectorAll("[data-redactor]").forEach(setup);
})();
