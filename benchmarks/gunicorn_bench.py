"""gunicorn's settings for the cached-page load test: one sync worker that is
never recycled mid-run (the site's own gunicorn.conf.py recycles workers and
runs threads, which would measure restarts instead of pages)."""

workers = 1
threads = 1
worker_class = "sync"
max_requests = 0
keepalive = 0
backlog = 64
loglevel = "warning"
errorlog = "-"
accesslog = None
# One control socket per user: another gunicorn on the machine would clash.
control_socket_disable = True
