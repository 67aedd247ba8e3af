"""A TCP proxy on loopback between a desktop and the backend that injects network faults per request.

It reads HTTP/1.1 messages (head, then ``Content-Length`` bytes) so it can act on whole requests, and
sends each one upstream on its own connection. ``rule(request_line)`` picks what happens:

* ``forward`` — as is;
* ``drop`` — forward the request, read the server's answer, then close the desktop's connection
  without it (fault 2: the server committed, the response is lost);
* ``delay:S`` — forward, wait S seconds, then answer (a slow network: the client may time out);
* ``duplicate`` — send the request upstream twice at once and answer with the later of the two
  answers (fault 4: a duplicated POST; the two race inside the backend).

``dark()`` closes the listening socket and every open connection (offline: connections are refused);
``light()`` listens on the same port again. Every ``POST /v1/mutations`` is kept in ``captured`` so a
test can replay them later, out of order (fault 4: reordered, stale duplicates).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable

Rule = Callable[[str], str]


def read_message(stream: socket.socket) -> bytes | None:
    """One HTTP message (head and body) from ``stream``; None when the peer closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = stream.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        assert name.strip().lower() != b"transfer-encoding", "chunked bodies are not expected here"
    while len(body) < length:
        chunk = stream.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.rule: Rule = lambda _line: "forward"
        self.seen: Counter[str] = Counter()  # action -> requests it was applied to
        self.captured: list[bytes] = []
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._closed = False
        self.port = self._listen(0)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _listen(self, port: int) -> int:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="proxy-accept").start()
        return int(listener.getsockname()[1])

    def dark(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            listener.close()
        for conn in connections:
            _close(conn)

    def light(self) -> None:
        if self._listener is None:
            self._listen(self.port)

    def close(self) -> None:
        self._closed = True
        self.dark()

    # -- plumbing ----------------------------------------------------------------------------------------
    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # closed by dark()
            with self._lock:
                self._connections.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True, name="proxy-conn").start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            while (request := read_message(conn)) is not None:
                line = request.split(b"\r\n", 1)[0].decode("latin-1")
                action = self.rule(line)
                self.seen[action.partition(":")[0]] += 1
                if line.startswith("POST /v1/mutations"):
                    self.captured.append(request)
                answer = self._exchange(request, twice=action == "duplicate")
                if action.startswith("delay:"):
                    time.sleep(float(action.partition(":")[2]))
                if answer is None or action == "drop":
                    break
                conn.sendall(answer)
        except OSError:
            pass
        finally:
            with self._lock:
                self._connections.discard(conn)
            _close(conn)

    def _exchange(self, request: bytes, *, twice: bool = False) -> bytes | None:
        if not twice:
            return self.send_upstream(request)
        answers: list[bytes | None] = []
        threads = [threading.Thread(target=lambda: answers.append(self.send_upstream(request))) for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers[-1]

    def send_upstream(self, request: bytes) -> bytes | None:
        with socket.create_connection(self.upstream, timeout=30) as upstream:
            upstream.sendall(request)
            return read_message(upstream)


def _close(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
    conn.close()
