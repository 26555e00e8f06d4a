// Upload of an entry's files with a progress bar. With tus-js-client (static/vendor) each file
// goes by the tus protocol: in pieces, resumed after a cut link or, once the same file is
// chosen again, after a reload. Without tus it posts the form by XHR; without this script the
// form posts normally.
(function () {
  "use strict";

  // tus-js-client's own rule, without its "navigator.onLine" test: a phone that says it is
  // offline comes back, and the upload then goes on by itself
  var RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000, 60000, 60000, 60000];

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

    function chosenFiles() {
      var files = [];
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (file) {
          files.push(file);
        });
      });
      return files;
    }

    function reloadAtFiles() {
      // the new thumbnails: the same page again, at the files
      window.location.hash = "berkas";
      window.location.reload();
    }

    // ---------------------------------------------------------------- tus

    function refusal(error) {
      // the server's answer (JSON like the form upload's), or null for a network failure
      var response = error && error.originalResponse;
      if (!response || !response.getStatus()) return null;
      try {
        return JSON.parse(response.getBody());
      } catch (err) {
        return { message: "", errors: [] };
      }
    }

    function tusOne(file, kind, onBytes) {
      return new Promise(function (resolve) {
        var endpoint = form.dataset.tusEndpoint;
        var upload = new window.tus.Upload(file, {
          endpoint: endpoint,
          chunkSize: Number(form.dataset.tusChunkBytes),
          retryDelays: RETRY_DELAYS,
          metadata: { filename: file.name, filetype: file.type, kind: kind },
          headers: { "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
          // the same file to the same entry as the same kind resumes where it stopped
          fingerprint: function (f) {
            return Promise.resolve(
              ["dik", endpoint, kind, f.name, f.size, f.lastModified].join("|")
            );
          },
          removeFingerprintOnSuccess: true,
          onShouldRetry: function (err) {
            var status = err.originalResponse ? err.originalResponse.getStatus() : 0;
            var retry = !(status >= 400 && status < 500) || status === 409 || status === 423;
            if (retry) setProgress(bar ? bar.value : 0, form.dataset.msgRetrying);
            return retry;
          },
          onProgress: function (sent) {
            onBytes(sent);
          },
          onSuccess: function () {
            onBytes(file.size);
            resolve({ ok: true });
          },
          onError: function (error) {
            var data = refusal(error);
            if (data) {
              resolve({ ok: false, data: data });
              return;
            }
            // the link stayed down through every retry: go on once it is back
            setProgress(bar ? bar.value : 0, form.dataset.msgOffline);
            window.addEventListener(
              "online",
              function () {
                upload.start();
              },
              { once: true }
            );
          },
        });
        upload.findPreviousUploads().then(function (previous) {
          if (previous.length) {
            upload.resumeFromPreviousUpload(previous[0]);
            setProgress(bar ? bar.value : 0, form.dataset.msgResuming);
          }
          upload.start();
        });
      });
    }

    function tusAll(files) {
      var kindInput = form.querySelector("input[name=kind]:checked");
      var kind = kindInput ? kindInput.value : "";
      var total = files.reduce(function (sum, f) {
        return sum + f.size;
      }, 0);
      var sent = files.map(function () {
        return 0;
      });
      var added = 0;
      var problems = [];
      var summary = "";

      function progress(index) {
        return function (bytes) {
          sent[index] = bytes;
          var all = sent.reduce(function (a, b) {
            return a + b;
          }, 0);
          var percent = total ? Math.floor((all / total) * 100) : 100;
          setProgress(
            percent,
            percent >= 100
              ? form.dataset.msgChecking
              : form.dataset.msgUploading + " " + percent + " %"
          );
        };
      }

      function next(index) {
        if (index === files.length) return finish();
        return tusOne(files[index], kind, progress(index)).then(function (result) {
          if (result.ok) {
            added += 1;
          } else {
            summary = summary || result.data.message;
            (result.data.errors || []).forEach(function (e) {
              problems.push(e.message);
            });
          }
          return next(index + 1);
        });
      }

      function finish() {
        button.disabled = false;
        if (!problems.length) {
          setProgress(100, form.dataset.msgDone);
          reloadAtFiles();
          return;
        }
        show(box, false);
        var first = added ? form.dataset.msgSomeAdded : summary;
        showErrors([first || form.dataset.msgFailed].concat(problems));
      }

      return next(0);
    }

    // ---------------------------------------------------------------- plain XHR post

    function xhrPost() {
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
          reloadAtFiles();
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
    }

    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) return; // the plain post still works
      event.preventDefault();
      showErrors([]);
      show(box, true);
      setProgress(0, form.dataset.msgUploading);
      button.disabled = true;
      var files = chosenFiles();
      var tusReady =
        window.tus && window.tus.isSupported && window.Promise && form.dataset.tusEndpoint;
      // no file chosen: the form's own answer says what is missing
      if (tusReady && files.length) {
        tusAll(files);
      } else {
        xhrPost();
      }
    });
  }

  document.querySelectorAll("form[data-upload]").forEach(setup);
})();
