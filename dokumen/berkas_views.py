"""Views of the files of an entry: upload, removal, the access log, and the guarded delivery.

Delivery (/berkas/…) fetches every file with files_visible_to — the selector that lists them on
the entry page — so missing and forbidden are one 404, and only a served file writes a log row.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from dokumen import lifecycle
from dokumen.berkas import FilesRefused, berkas_add, berkas_remove
from dokumen.delivery import file_response, log_access
from dokumen.file_text import text_state, text_state_of
from dokumen.inspection import ACCEPT, INLINE_TYPES, max_upload_bytes, too_large, type_label
from dokumen.models import AccessLog, Action, Berkas, Entri
from dokumen.selectors import (
    access_log_visible_to,
    entries_visible_to,
    file_texts_visible_to,
    files_visible_to,
)
from dokumen.thumbnails import thumbnail_pending
from dokumen.upload_handlers import (
    CHUNK_SIZE,
    HashingMemoryFileUploadHandler,
    HashingTemporaryFileUploadHandler,
)
from ppid.errors import ActionRefused
from ppid.roles import Role, has_role

ACCESS_LOG_PAGE_SIZE = 50
# one PATCH of a resumable upload (dokumen.tus): a few seconds on an office line, well inside
# the app server's timeout on a slow one (README, Web server)
TUS_CHUNK_BYTES = 8 * 1024 * 1024


# ---------------------------------------------------------------- upload form


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the service, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # the service names the empty file
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class BerkasUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("These files are"),
        choices=Berkas.Kind.choices,
        initial=Berkas.Kind.SOFTCOPY,
        widget=forms.RadioSelect,
    )
    files = MultipleFileField(
        label=gettext_lazy("Choose files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=gettext_lazy(
            "PDF, JPEG, PNG or TIFF; a softcopy may also be DOCX, XLSX or ODT. Several at once."
        ),
    )
    photo = MultipleFileField(
        label=gettext_lazy("Or take a photo of the paper (phone)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("files") or data.get("photo")):
            raise ValidationError(_("Choose at least one file."))
        return data

    def uploads(self) -> list:
        return [*self.cleaned_data.get("files", []), *self.cleaned_data.get("photo", [])]


class UploadSizeLimit(FileUploadHandler):
    """Stops storing a file once it passes the maximum, so it never fills the disk.

    The rest of that file is still read (the request body has to be read to its end anyway)
    but only counted, so the refusal names the file's real size, not the limit's. The handlers
    after it (`stored_by`) drop what they had written of it.
    """

    chunk_size = CHUNK_SIZE

    def __init__(self, request=None, *, stored_by=()):
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.stored_by = stored_by
        self.oversized: list[tuple[str, int]] = []
        self.counting = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.counting = False

    def receive_data_chunk(self, raw_data, start):
        if not self.counting and start + len(raw_data) > self.limit:
            self.counting = True
            for handler in self.stored_by:
                handler.discard()
        return None if self.counting else raw_data

    def file_complete(self, file_size):
        if self.counting:
            self.oversized.append((self.file_name, file_size))
        return None


# ---------------------------------------------------------------- upload and removal


def _wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def entry_for_upload(user, pk: int) -> Entri:
    """The one check of every upload path, the form here and tus (dokumen.tus): who may add
    files at all (PermissionDenied), and to which entry they can see (404). What the entry's
    state allows is checked by berkas.require_may_add_files."""
    if not lifecycle.may_take(user, Action.UPLOAD):
        raise PermissionDenied
    return get_object_or_404(entries_visible_to(user), pk=pk)


@csrf_exempt  # the token is checked below, after the size guard is in place
def berkas_upload(request, pk: int):
    """POST files to an entry: JSON for the page's script, a message and a redirect otherwise."""
    entri = entry_for_upload(request.user, pk)  # before a byte of the body is read
    stored_by = [
        HashingMemoryFileUploadHandler(request),
        HashingTemporaryFileUploadHandler(request),
    ]
    guard = UploadSizeLimit(request, stored_by=stored_by)
    # the size guard first; then the bytes are hashed as they are written (one pass)
    request.upload_handlers = [guard, *stored_by]
    return _berkas_upload(request, entri, guard)


@csrf_protect
@require_POST
def _berkas_upload(request, entri: Entri, guard: UploadSizeLimit):
    entry_url = reverse("meja:entri_detail", args=[entri.pk]) + "#berkas"
    form = BerkasUploadForm(request.POST, request.FILES)
    problems: list[tuple[str, str]] = [
        (name, too_large(name, size).message) for name, size in guard.oversized
    ]
    created = []
    if not problems:
        if form.is_valid():
            try:
                created = berkas_add(
                    entri_id=entri.pk,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    files=form.uploads(),
                )
            except FilesRefused as refused:
                problems = refused.problems
            except ActionRefused as refused:
                problems = [("", str(refused))]
        else:
            problems = [("", message) for errors in form.errors.values() for message in errors]

    if problems:
        summary = _("Nothing was uploaded: fix the files below and upload them again.")
        if _wants_json(request):
            return JsonResponse(
                {
                    "ok": False,
                    "message": summary,
                    "errors": [{"file": name, "message": message} for name, message in problems],
                },
                status=400,
            )
        messages.error(request, summary)
        for _name, message in problems:
            messages.error(request, message)
        return redirect(entry_url)

    done = ngettext(
        "%(count)d file added to the entry.", "%(count)d files added to the entry.", len(created)
    ) % {"count": len(created)}
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "message": done,
                "redirect": entry_url,
                "files": [
                    {
                        "id": b.pk,
                        "name": b.original_name,
                        "url": reverse("berkas:pratinjau", args=[b.pk]),
                    }
                    for b in created
                ],
            },
            status=201,
        )
    messages.success(request, done)
    return redirect(entry_url)


@require_POST
def berkas_remove_view(request, pk: int):
    if not lifecycle.may_take(request.user, Action.REMOVE_FILE):
        raise PermissionDenied
    berkas = get_object_or_404(files_visible_to(request.user), pk=pk)
    try:
        berkas_remove(berkas_id=berkas.pk, by=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _(
                "“%(name)s” was removed from the entry. The stored file is kept and the removal is recorded in the history."
            )
            % {"name": berkas.original_name},
        )
    return redirect(reverse("meja:entri_detail", args=[berkas.entri_id]) + "#berkas")


@login_required
@require_safe
def entri_access_log(request, pk: int):
    """Who viewed or downloaded the files of one entry: for the PPID."""
    entri = get_object_or_404(entries_visible_to(request.user), pk=pk)
    if not has_role(request.user, Role.PPID):
        raise Http404
    logs = access_log_visible_to(request.user).filter(berkas__entri=entri)
    page = Paginator(logs, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dokumen/entri_access_log.html",
        {"entri": entri, "page": page, "logs": page.object_list},
    )


# ---------------------------------------------------------------- guarded delivery (/berkas/)


def _visible_file(request, pk: int) -> Berkas:
    return get_object_or_404(
        files_visible_to(request.user).select_related("entri", "uploaded_by"), pk=pk
    )


@require_safe
def berkas_download(request, pk: int):
    berkas = _visible_file(request, pk)
    return file_response(
        request,
        berkas,
        berkas.file,
        AccessLog.Action.DOWNLOAD,
        filename=berkas.original_name,
        content_type=berkas.content_type,
        as_attachment=True,
    )


@require_safe
def berkas_view(request, pk: int):
    """In the browser when it can show the type (PDF, JPEG, PNG); downloaded otherwise."""
    berkas = _visible_file(request, pk)
    return file_response(
        request,
        berkas,
        berkas.file,
        AccessLog.Action.VIEW,
        filename=berkas.original_name,
        content_type=berkas.content_type,
        as_attachment=berkas.content_type not in INLINE_TYPES,
    )


@require_safe
def berkas_thumbnail(request, pk: int):
    berkas = _visible_file(request, pk)
    if not berkas.thumbnail:
        raise Http404
    stem = berkas.original_name.rsplit(".", 1)[0]
    return file_response(
        request,
        berkas,
        berkas.thumbnail,
        AccessLog.Action.THUMBNAIL,
        filename=f"{stem}-gambar-kecil.png",
        content_type="image/png",
        as_attachment=False,
        signed_url=False,  # an <img> of our pages: same origin, small
    )


@require_safe
def berkas_preview(request, pk: int):
    """A file's page for staff: thumbnail, facts, checksum, links; its access log for the PPID."""
    berkas = _visible_file(request, pk)
    log_access(request, berkas, AccessLog.Action.PREVIEW)
    texts = file_texts_visible_to(request.user).filter(pk=berkas.pk).defer("search_vector")
    berkas_text = texts.first()
    access_log = access_log_visible_to(request.user).filter(berkas=berkas)[:ACCESS_LOG_PAGE_SIZE]
    return render(
        request,
        "dokumen/berkas_detail.html",
        {
            "berkas": berkas,
            "entri": berkas.entri,
            "inline": berkas.content_type in INLINE_TYPES,
            "type_label": type_label(berkas.content_type),
            "thumbnail_pending": thumbnail_pending(berkas),
            "text_state": text_state_of(berkas_text),
            # a long document's text is not sent whole with the page: its beginning
            "file_text": berkas_text.text[:TEXT_SHOWN_CHARS] if berkas_text else "",
            "file_text_chars": len(berkas_text.text) if berkas_text else 0,
            "text_shown_chars": TEXT_SHOWN_CHARS,
            "sees_access_log": has_role(request.user, Role.PPID),
            "access_log": access_log,
        },
    )


TEXT_SHOWN_CHARS = 20_000


def files_section(request, entri) -> dict:
    """What templates/dokumen/_files.html needs on the entry page."""
    may_upload = lifecycle.refusal(entri, Action.UPLOAD, request.user) is None
    files = list(
        files_visible_to(request.user)
        .filter(entri=entri)
        .select_related("uploaded_by", "teks")
        .defer("teks__text", "teks__search_vector")  # the state of the reading, not the words
    )
    for berkas in files:
        berkas.type_label = type_label(berkas.content_type)
        berkas.thumbnail_pending = thumbnail_pending(berkas)
        berkas.text_state = text_state(berkas)
    return {
        "files": files,
        "upload_form": BerkasUploadForm() if may_upload else None,
        "may_upload": may_upload,
        "may_remove": lifecycle.refusal(entri, Action.REMOVE_FILE, request.user) is None,
        "sees_access_log": has_role(request.user, Role.PPID),
        "max_upload_bytes": max_upload_bytes(),
        "tus_chunk_bytes": TUS_CHUNK_BYTES,
    }
