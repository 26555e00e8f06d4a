"""Gunicorn settings for `make serve`: several sync workers behind a TLS reverse proxy.

Environment: WEB_CONCURRENCY (workers, default 2 × cores + 1), BIND (default 127.0.0.1:8000),
GUNICORN_TIMEOUT (seconds, default 60), FORWARDED_ALLOW_IPS (the proxy, default 127.0.0.1).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# a worker is replaced now and then, so a slow leak never grows for long
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
# several instances may run on one machine: no shared control socket in the home directory
control_socket_disable = True
