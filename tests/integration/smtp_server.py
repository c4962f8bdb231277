#!/usr/bin/python3
"""A real SMTP server for the email-code integration tests (docs/design/019), built on Debian's
python3-aiosmtpd. Every accepted message is written to DIR/<time>-<id>.json as

  {"mail_from", "rcpt_tos", "tls", "auth_user", "raw", "subject", "from", "to", "body"}

where subject, from, to and body are decoded by Python's own email package (RFC 2047 words, MIME
transfer encodings): an implementation independent of idm's message builder. When it listens, the
port is written to DIR/port.

  smtp_server.py DIR [--cert C --key K (--starttls | --implicit-tls)] [--auth USER:PASSWORD]

A recipient whose local part starts with "reject" is refused with 550 (RCPT TO).
"""
import argparse
import email
import email.policy
import json
import os
import signal
import socket
import ssl
import threading
import time
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, folder):
        self.folder = folder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        auth = session.auth_data
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None
                   or server.transport.get_extra_info("ssl_object") is not None,
            "auth_user": auth.login.decode() if isinstance(auth, LoginPassword) else None,
            "raw": raw.decode("ascii", "replace"),
            "subject": str(message["subject"]),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "body": message.get_content(),
        }
        name = os.path.join(self.folder, "%d-%s.json" % (time.time_ns(), uuid.uuid4().hex))
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(name + ".tmp", name)
        return "250 2.0.0 accepted"


class Authenticator:
    def __init__(self, user, password):
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--starttls", action="store_true")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth")
    a = p.parse_args()
    kwargs = {}
    context = None
    if a.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)
    if a.starttls:
        kwargs.update(tls_context=context, require_starttls=True)
    if a.implicit_tls:
        kwargs.update(ssl_context=context)
    if a.auth:
        user, password = a.auth.split(":", 1)
        kwargs.update(authenticator=Authenticator(user, password), auth_required=True,
                      auth_require_tls=bool(a.cert))
    port = free_port()
    controller = Controller(Handler(a.folder), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    with open(os.path.join(a.folder, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(a.folder, "port.tmp"), os.path.join(a.folder, "port"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
