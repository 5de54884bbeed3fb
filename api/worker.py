"""The gunicorn worker that serves the app (``worker_class`` in ``gunicorn.conf.py``).

gunicorn's threaded worker, changed so that slow or idle clients cannot take the
threads that answer everybody else:

- the head of every request (request line and headers) is read by the worker's
  poller, without a thread; only a complete head is handed to a thread. A client
  that has not sent a whole head ``HEAD_TIMEOUT`` seconds after it began is closed.
  (gunicorn 27 gives every new connection to a thread, which waits up to 5 s for data
  and then reads the head at the client's pace: a few hundred idle sockets queue the
  real requests behind them for minutes.)
- an idle kept-alive connection is closed after ``keepalive`` seconds, as usual;
- while a thread reads a body or writes an answer, a client that sends or reads
  nothing for ``STALL_TIMEOUT`` seconds is dropped instead of holding the thread.

A client trickling a large body still holds a thread while it lasts: on the open
internet, run behind a buffering reverse proxy (README, ``deploy/nginx.conf``).
TLS, if gunicorn terminates it, takes gunicorn's own path (heads read by threads).
"""

from __future__ import annotations

import errno
import selectors
import socket
import time
from functools import partial

from gunicorn.workers.gthread import TConn, ThreadWorker

HEAD_TIMEOUT = 10.0
STALL_TIMEOUT = 10.0
# Past this many bytes the head goes to the parser whole or not, which refuses what is
# too long with the right status (gunicorn's limit_request_* settings).
HEAD_BUFFER = 64 * 1024
_HEAD_ENDS = (b"\r\n\r\n", b"\n\n")


class _Connection(TConn):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.head = bytearray()

    def head_complete(self) -> bool:
        return len(self.head) >= HEAD_BUFFER or any(end in self.head for end in _HEAD_ENDS)

    def init(self) -> None:
        super().init()  # makes the parser on first use; called before every request
        if self.head:
            self.parser.unreader.unread(bytes(self.head))
            self.head.clear()
        # The thread sets the socket blocking before every request: bound each wait.
        self.sock.settimeout(STALL_TIMEOUT)


class Worker(ThreadWorker):
    def accept(self, listener: socket.socket) -> None:
        if self.cfg.is_ssl:
            return super().accept(listener)
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self._await_head(_Connection(self.cfg, client, address, listener.getsockname()))

    def on_client_socket_readable(self, conn: TConn, client: socket.socket) -> None:
        """A kept-alive connection has more to say: its next head is read here too."""
        if not isinstance(conn, _Connection):
            return super().on_client_socket_readable(conn, client)
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._await_head(conn)

    def _await_head(self, conn: _Connection) -> None:
        # Pending connections are closed by gunicorn's own sweep once their timeout
        # passes; the deque stays sorted because every deadline is now + one constant.
        conn.sock.setblocking(False)
        conn.timeout = time.monotonic() + HEAD_TIMEOUT
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._read_head, conn))

    def _read_head(self, conn: _Connection, client: socket.socket) -> None:
        try:
            received = client.recv(HEAD_BUFFER)
        except BlockingIOError:
            return
        except OSError:
            received = b""
        if received:
            conn.head += received
            if not conn.head_complete():
                return
        self.poller.unregister(client)
        self.pending_conns.remove(conn)
        if not received:  # the client went away before it asked anything
            self.nr_conns -= 1
            conn.close()
            return
        conn.data_ready = True
        self.enqueue_req(conn)
