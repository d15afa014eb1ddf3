#!/usr/bin/env python3
# freezeproxy.py LISTEN_PORT BROKER_PORT N: forwards 127.0.0.1:LISTEN_PORT to a broker on loopback, but passes only the
# first N responses back on each connection, then goes silent: a broker that froze just after the handshake (tests).
import socket, sys, threading, struct
listen, target, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def pipe_up(c, u):
    try:
        while True:
            d = c.recv(65536)
            if not d: break
            u.sendall(d)
    except Exception: pass
def pipe_down(u, c):
    passed = 0; buf = b""
    try:
        while True:
            d = u.recv(65536)
            if not d: break
            buf += d
            while len(buf) >= 4 and passed < n:
                size = struct.unpack(">i", buf[:4])[0]
                if len(buf) < 4 + size: break
                c.sendall(buf[:4+size]); buf = buf[4+size:]; passed += 1
    except Exception: pass
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", listen)); s.listen(50)
while True:
    c, _ = s.accept()
    u = socket.create_connection(("127.0.0.1", target))
    threading.Thread(target=pipe_up, args=(c, u), daemon=True).start()
    threading.Thread(target=pipe_down, args=(u, c), daemon=True).start()
