#!/usr/bin/env python3
"""Plays the guard company's central for the demo (deploy/run-night.sh): a tiny HTTP
receiver for PropertyWatch's central webhook. It answers every POST with 200, counts each
Idempotency-Key once (retries of one escalation are the same key), and prints one line per
escalation. Standard library only; listens on 127.0.0.1 only.

usage: central-receiver.py PORT
"""
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

seen = set()


class Central(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key", "")
        try:
            escalation = json.loads(body)
        except ValueError:
            self.send_response(400)
            self.end_headers()
            return
        first = key not in seen
        seen.add(key)
        print(f"central: {'received' if first else 'duplicate'} escalation {escalation.get('incident')} "
              f"(key {key}): {escalation.get('summary', '')}", flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status":"received"}')

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Central).serve_forever()
