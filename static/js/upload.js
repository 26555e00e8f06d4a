// Upload of an entry's files with a progress bar; without this script the form posts normally.
(function () {
  "use strict";

  function show(el, on) {
    if (el) el.hidden = !on;
  }

  function setup(form) {
    var box = form.querySelector(".upload-progress");
    var bar = box && box.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    var errors = form.querySelector("[data-upload-errors]");
    var button = form.querySelector("button[type=submit]");

    function setProgress(percent, text) {
      if (bar) {
        bar.value = percent;
        bar.textContent = percent + " %";
      }
      if (status) status.textContent = text;
    }

    function showErrors(list) {
      errors.textContent = "";
      list.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item;
        errors.appendChild(li);
      });
      show(errors, list.length > 0);
    }

    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) return; // the plain post still works
      event.preventDefault();
      showErrors([]);
      show(box, true);
      setProgress(0, form.dataset.msgUploading);
      button.disabled = true;

      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.floor((e.loaded / e.total) * 100);
          setProgress(percent, form.dataset.msgUploading + " " + percent + " %");
        }
      });
      xhr.upload.addEventListener("load", function () {
        setProgress(100, form.dataset.msgChecking);
      });
      xhr.addEventListener("load", function () {
        var data = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch (err) {
          data = null;
        }
        button.disabled = false;
        if (data && data.ok) {
          setProgress(100, data.message);
          // the new thumbnails: the same page again, at the files
          window.location.hash = "berkas";
          window.location.reload();
          return;
        }
        show(box, false);
        if (data && data.errors) {
          showErrors(
            [data.message].concat(
              data.errors.map(function (e) {
                return e.message;
              })
            )
          );
        } else {
          showErrors([form.dataset.msgFailed]);
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        show(box, false);
        showErrors([form.dataset.msgFailed]);
      });
      xhr.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-upload]").forEach(setup);
})();
