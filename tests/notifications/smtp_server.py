"""A real SMTP server on 127.0.0.1 for delivery tests: it can refuse connections (421, as a
busy or broken mail relay does) before it starts accepting, and keeps what it received."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


class _Handler(socketserver.StreamRequestHandler):
    def _say(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        server: SmtpServer = self.server  # type: ignore[assignment]
        with server.lock:
            server.connections += 1
            refuse = server.refusals_left > 0
            if refuse:
                server.refusals_left -= 1
        if refuse:
            self._say("421 4.3.2 Service not available, closing transmission channel")
            return
        self._say("220 localhost test SMTP")
        lines: list[bytes] = []
        in_data = False
        while True:
            line = self.rfile.readline()
            if not line:
                return
            if in_data:
                if line in (b".\r\n", b".\n"):
                    with server.lock:
                        server.received.append(b"".join(lines))
                    lines, in_data = [], False
                    self._say("250 2.0.0 Ok: queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self._say("250-localhost")
                self._say("250 8BITMIME")
            elif verb == b"HELO":
                self._say("250 localhost")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self._say("250 2.0.0 Ok")
            elif verb == b"DATA":
                in_data = True
                self._say("354 End data with <CR><LF>.<CR><LF>")
            elif verb == b"QUIT":
                self._say("221 2.0.0 Bye")
                return
            else:
                self._say("502 5.5.2 Command not recognized")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.connections = 0
        self.refusals_left = 0
        self.received: list[bytes] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> SmtpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def refuse_next(self, count: int) -> None:
        with self.lock:
            self.refusals_left = count

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            raw = list(self.received)
        return [message_from_bytes(data, policy=policy.default) for data in raw]
