"""Production serving: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every setting can be overridden from the environment (``GUNICORN_CMD_ARGS``) or the
command line. ``preload_app`` loads the glossary, jieba's dictionary and the index
once in the master; workers share those pages (``bench/startup.py``: 353 MB of PSS for
the master and two workers at 10,859 terms, 1,136 MB at 100,859).
"""

import gc
import logging
import multiprocessing
import os

from glossary.config import number

bind = os.environ.get("GLOSSARY_BIND", "127.0.0.1:8000")
workers = number("GLOSSARY_WORKERS", multiprocessing.cpu_count())
# Threads, so that a slow request does not stop a worker; idle and stalled clients wait
# in the poller or time out (api/worker.py) instead of holding a thread.
worker_class = "api.worker.Worker"
threads = number("GLOSSARY_THREADS", 8)
preload_app = True
timeout = 30  # no request needs more; a stuck worker is replaced
graceful_timeout = 20
keepalive = 5  # seconds an idle connection, new or kept alive, stays open
# Recycle workers now and then (jitter spreads the restarts), but rarely: a new worker
# starts with empty answer caches.
max_requests = 200_000
max_requests_jitter = 20_000
limit_request_line = 8190
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GLOSSARY_LOG_LEVEL", "info")

# The glossary's own messages (a build's steps, a glossary file kept back) beside
# gunicorn's, at the same level: set here because the preloaded app starts before any
# server hook runs.
_handler = logging.StreamHandler()
_handler.setFormatter(logging.Formatter(
    "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S %z"
))  # fmt: skip
logging.getLogger("glossary").addHandler(_handler)
logging.getLogger("glossary").setLevel(loglevel.upper())


def pre_fork(server, worker):
    # The preloaded glossary stays shared with the workers only while nobody writes to its
    # pages, and a full collection in a worker writes to every object it scans: frozen,
    # the master's objects are left out of every collection (Python's gc.freeze advice).
    gc.freeze()
