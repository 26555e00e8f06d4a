"""Demo users, one per role (and a second Tim Pertimbangan member), with known passwords."""

import contextlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from ppid.models import Kantor, Penugasan, SiteProfile
from ppid.roles import Role

# username, full name, roles, password
DEMO_USERS = [
    ("desk", "Nurul Hidayah", [Role.DESK], "desk-pinrang"),
    ("ppid", "Andi Baso Rahman", [Role.PPID], "ppid-pinrang"),
    ("pembina", "Hj. Sitti Aminah", [Role.PEMBINA], "pembina-pinrang"),
    ("tim1", "Muhammad Yusuf", [Role.TIM], "tim1-pinrang"),
    ("tim2", "Rahmawati Said", [Role.TIM], "tim2-pinrang"),
    ("atasan", "Ir. Abdul Halim", [Role.ATASAN], "atasan-pinrang"),
    ("tamu", "Pengguna Tanpa Peran", [], "tamu-pinrang"),
]
# the staff of the other demo offices: username, full name, roles, password, office (slug)
OTHER_OFFICE_USERS = [
    ("ppid.sidrap", "Hasnawati Sidrap", [Role.PPID], "ppid-sidrap", "kab-sidenreng-rappang"),
    ("desk.sidrap", "Syamsul Rijal", [Role.DESK], "desk-sidrap", "kab-sidenreng-rappang"),
    # Sidrap's approvers: its entry linked to the national decree is approved in Sidrap
    (
        "pembina.sidrap",
        "Andi Tenri Sidrap",
        [Role.PEMBINA],
        "pembina-sidrap",
        "kab-sidenreng-rappang",
    ),
    ("tim.sidrap", "Muh. Arsyad Sidrap", [Role.TIM], "tim-sidrap", "kab-sidenreng-rappang"),
    ("atasan.sidrap", "H. Lukman Sidrap", [Role.ATASAN], "atasan-sidrap", "kab-sidenreng-rappang"),
    ("ppid.sulsel", "Dr. Andi Makkasau", [Role.PPID], "ppid-sulsel", "prov-sulawesi-selatan"),
    ("ppid.ri", "Nur Aisyah Rahmat", [Role.PPID], "ppid-ri", "ri"),
]
ADMIN = ("admin", "Administrator Sistem", "admin-pinrang")


def load(stdout) -> dict:
    SiteProfile.objects.update_or_create(
        kantor=Kantor.default(),
        defaults={
            "office_name": "Komisi Pemilihan Umum Kabupaten Pinrang",
            "short_name": "KPU Kabupaten Pinrang",
            "address": "Jl. Jend. Sudirman No. 71, Pinrang, Sulawesi Selatan 91212",
            "phone": "(0421) 921 000",
            "email": "ppid@kpu-pinrang.example",
            "city": "Pinrang",
            "ppid_officer": "Andi Baso Rahman",
            "website": "https://kab-pinrang.kpu.example/",
            "request_url": "https://kab-pinrang.kpu.example/ppid/permohonan-informasi",
            "objection_url": "https://kab-pinrang.kpu.example/ppid/keberatan",
            "dip_url": "https://kab-pinrang.kpu.example/ppid/daftar-informasi-publik",
            "desk_phone": "0812 4200 1921",
            "desk_email": "ppid@kpu-pinrang.example",
            "desk_hours": "Senin–Jumat 08.00–16.00 WITA",
        },
    )
    # where to ask at the other demo office: its own desk, requests through the national e-PPID
    SiteProfile.objects.update_or_create(
        kantor=Kantor.objects.get(slug="kab-sidenreng-rappang"),
        defaults={
            "office_name": "Komisi Pemilihan Umum Kabupaten Sidenreng Rappang",
            "short_name": "KPU Kabupaten Sidenreng Rappang",
            "address": "Jl. Jend. Sudirman No. 2, Pangkajene Sidenreng, Sulawesi Selatan",
            "city": "Sidenreng Rappang",
            "desk_phone": "(0421) 90 123",
            "desk_email": "ppid@kpu-sidrap.example",
            "desk_hours": "Senin–Jumat 08.00–16.00 WITA",
            "dip_url": "https://kab-sidenreng-rappang.kpu.example/ppid/dip",
        },
    )
    User = get_user_model()
    users = {}
    default = Kantor.default().slug
    everyone = [(*user, default) for user in DEMO_USERS] + OTHER_OFFICE_USERS
    for username, full_name, roles, password, office_slug in everyone:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@kpu-pinrang.example",
            },
        )
        if created:
            user.set_password(password)
            user.save()
        office = Kantor.objects.get(slug=office_slug)
        Penugasan.objects.filter(user=user).exclude(
            kantor=office, role__in=[r.value for r in roles]
        ).delete()
        for role in roles:
            Penugasan.objects.get_or_create(user=user, kantor=office, role=role.value)
        users[username] = user
    username, full_name, password = ADMIN
    admin, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": full_name,
            "email": "admin@kpu-pinrang.example",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(password)
        admin.save()
    users[username] = admin
    return users


def mail_note() -> str | None:
    """Where the demo's notification mail goes when no SMTP server is set (settings.MAILERS)."""
    mailer = settings.MAILERS.get("default", {})
    if mailer.get("BACKEND", "").endswith("filebased.EmailBackend"):
        folder = Path(mailer["OPTIONS"]["file_path"])
        with contextlib.suppress(ValueError):
            folder = folder.relative_to(Path.cwd())
        return f"Mail: notifications are written to {folder}/ (no SMTP server set), not sent."
    return None


def print_users(stdout, url: str | None = None) -> None:
    if note := mail_note():
        stdout.write(note)
    stdout.write("Demo users (username / password — role):")
    for username, _name, roles, password in DEMO_USERS:
        label = ", ".join(r.value for r in roles) or "no role"
        stdout.write(f"  {username:8} / {password:16} — {label}")
    approvers = []
    for username, _name, roles, password, office_slug in OTHER_OFFICE_USERS:
        if roles and roles[0] in (Role.PEMBINA, Role.TIM, Role.ATASAN):
            approvers.append(username)  # one line for them: the summary stays short
            continue
        office = Kantor.objects.filter(slug=office_slug).first()
        label = ", ".join(r.value for r in roles)
        stdout.write(f"  {username:11} / {password:12} — {label}, {office or office_slug}")
    if approvers:
        stdout.write(
            f"  {', '.join(approvers)} — approvers of the other offices; password: the user name "
            "with a hyphen for the dot"
        )
    stdout.write(f"  {ADMIN[0]:8} / {ADMIN[2]:16} — admin (users, roles, reference data)")
    if url:
        stdout.write(f"Open {url} and log in as one of them; stop with Ctrl-C.")
