"""gunicorn's settings for mentoring_cms (read from the working directory).

PORT, WEB_CONCURRENCY and GUNICORN_TIMEOUT come from the environment.
"""

import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads let a worker keep serving while another request waits on the
# database; the site holds no per-thread state.
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# A rolling restart lets running requests (a submit, an upload) finish.
graceful_timeout = 30
# Recycling workers now and then bounds any slow memory growth.
max_requests = 1000
max_requests_jitter = 100
# Errors to stderr; no access log, since it would record applicants' IP
# addresses (the load balancer keeps the access log it needs).
errorlog = "-"
accesslog = None
# The proxy sets X-Forwarded-Proto; only trust it from the proxies listed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket is one file per user: several instances on one
# machine (or a load test with two) would fight over it, and nothing uses it.
control_socket_disable = True
