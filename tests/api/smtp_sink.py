#!/usr/bin/python3
"""A loopback SMTP server for the API tests (Debian's python3-aiosmtpd).

    smtp_sink.py --dir DIR [--port PORT]   serve on 127.0.0.1:PORT (0: any
                                           free port), print "port N", and
                                           write each message as DIR/N.json
    smtp_sink.py --parse FILE.eml          print FILE parsed, as JSON

Each JSON record holds the envelope (mail_from, rcpt_tos), the raw message,
its header lines as received, the decoded subject, and the text and HTML
bodies. Records are written through a temporary file and a rename, so a
reader never sees half of one. Runs until SIGTERM.
"""
import argparse
import asyncio
import email
import email.header
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


def parse(raw: bytes) -> dict:
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    head = raw.split(b'\r\n\r\n', 1)[0].decode('utf-8', 'replace')
    subject = msg.get('Subject', '')
    subject = str(email.header.make_header(email.header.decode_header(subject))) if subject else ''
    frm = msg.get('From', '')
    frm = str(email.header.make_header(email.header.decode_header(frm))) if frm else ''
    text = html = None
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in ('text/plain', 'text/html'):
            body = part.get_payload(decode=True).decode(part.get_content_charset() or 'utf-8')
            if ctype == 'text/plain':
                text = body
            else:
                html = body
    return {
        'raw': raw.decode('utf-8', 'replace'),
        'header_lines': head.split('\r\n'),
        'subject': subject,
        'from': frm,
        'to': msg.get('To', ''),
        'text': text,
        'html': html,
    }


class Sink:
    def __init__(self, directory):
        self.dir = directory
        self.seq = len([n for n in os.listdir(directory) if n.endswith('.json')])

    async def handle_DATA(self, server, session, envelope):
        self.seq += 1
        record = parse(envelope.original_content or envelope.content)
        record['mail_from'] = envelope.mail_from
        record['rcpt_tos'] = list(envelope.rcpt_tos)
        path = os.path.join(self.dir, f'{self.seq:06d}.json')
        with open(path + '.tmp', 'w', encoding='utf-8') as f:
            json.dump(record, f)
        os.rename(path + '.tmp', path)
        return '250 OK'


async def serve(directory, port):
    loop = asyncio.get_running_loop()
    sink = Sink(directory)
    server = await loop.create_server(lambda: SMTP(sink, hostname='sink.test'), '127.0.0.1', port)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir')
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--parse')
    args = ap.parse_args()
    if args.parse:
        with open(args.parse, 'rb') as f:
            json.dump(parse(f.read()), sys.stdout)
        return
    asyncio.run(serve(args.dir, args.port))


if __name__ == '__main__':
    main()
