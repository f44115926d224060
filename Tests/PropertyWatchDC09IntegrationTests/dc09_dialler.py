#!/usr/bin/env python3
"""Drives the third-party dialler package dc09-spt (PyPI) against pw-dc09 for the integration
tests: frames are built, encrypted and CRC'd by dc09-spt's own dc09_msg/dc03_msg/dc05_msg, sent
over its TransPathTCP/TransPathUDP, and the answers checked by its dc09answer.

Usage: dc09_dialler.py HOST 'JSON list of steps'. Each step: transport (tcp|udp), port, account,
key (hex or null), seq, kind (sia|cid|null), code, zone, area, offset (seconds added to the
dialler's clock), attempts, timeout. Prints one JSON result per step: answer (ACK, NAK, DUH or
none), attempts used, and the receiver offset from a NAK.

dc09-spt declares the dead pycrypto package (which does not build on current Python); PyCryptodome
provides the same Crypto.Cipher.AES API except that it wants bytes where dc09-spt passes str, so
the AES module dc09-spt imported is wrapped to encode str arguments as Latin-1.
"""
import json
import sys

from Crypto.Cipher import AES as _AES

from dc09_spt.comm.transpathtcp import TransPathTCP
from dc09_spt.comm.transpathudp import TransPathUDP
from dc09_spt.msg.dc03_msg import dc03_msg
from dc09_spt.msg.dc05_msg import dc05_msg
from dc09_spt.msg.dc09_msg import dc09_msg


def _bytes(value):
    return value.encode("latin-1") if isinstance(value, str) else value


class _Cipher:
    def __init__(self, inner):
        self.inner = inner

    def encrypt(self, data):
        return self.inner.encrypt(_bytes(data))

    def decrypt(self, data):
        return self.inner.decrypt(_bytes(data))


class _AESShim:
    MODE_CBC = _AES.MODE_CBC

    @staticmethod
    def new(key, mode, iv):
        return _Cipher(_AES.new(_bytes(key), mode, iv=_bytes(iv)))


# The module, not the class of the same name that dc09_spt.msg re-exports.
sys.modules["dc09_spt.msg.dc09_msg"].AES = _AESShim


def exchange(host, step):
    if step.get("kind") == "raw":
        return raw_exchange(host, step)
    key = bytes.fromhex(step["key"]) if step.get("key") else None
    msg = dc09_msg(step["account"], key, 1, 2, step.get("offset", 0))
    kind = step.get("kind", "sia")
    params = {k: step[k] for k in ("code", "zone", "area", "user", "q") if k in step}
    if kind == "sia":
        block = msg.dc09block(step["seq"], "SIA-DCS", dc03_msg.dc03event(step["account"], params))
    elif kind == "cid":
        block = msg.dc09block(step["seq"], "ADM-CID", dc05_msg.dc05event(step["account"], params))
    else:
        block = msg.dc09block(step["seq"], "NULL", "]")
    timeout = step.get("timeout", 3.0)
    attempts = step.get("attempts", 1)
    for attempt in range(1, attempts + 1):
        transport = TransPathTCP if step["transport"] == "tcp" else TransPathUDP
        conn = transport(host, step["port"], timeout=timeout)
        conn.connect()
        raw = conn.sendAndReceive(block.encode("latin-1"), 1024)
        conn.disconnect()
        if raw:
            answer, offset = msg.dc09answer(step["seq"], raw.decode("latin-1"))
            return {"answer": answer, "attempts": attempt, "offset": offset}
    return {"answer": "none", "attempts": attempts, "offset": None}


def raw_exchange(host, step):
    """Sends hand-made bytes (hostile input) over TCP in one write; reads answers until `expect`
    of them arrived or the timeout passed."""
    conn = TransPathTCP(host, step["port"], timeout=step.get("timeout", 3.0))
    conn.connect()
    conn.send(bytes.fromhex(step["data"]))
    received = b""
    while received.count(b"\r") < step.get("expect", 1):
        chunk = conn.receive(4096)
        if not chunk:
            break
        received += chunk
    conn.disconnect()
    answers = [part[9:14].decode("latin-1").strip('"*') for part in received.split(b"\r") if part.strip()]
    return {"answer": ",".join(answers) or "none", "attempts": 1, "offset": None}


def main():
    host = sys.argv[1]
    for step in json.loads(sys.argv[2]):
        try:
            result = exchange(host, step)
        except Exception as error:  # a malformed answer is a test failure, reported as such
            result = {"answer": "error", "error": str(error)}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
