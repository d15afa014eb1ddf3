#!/usr/bin/env python3
"""A throwaway OIDC token endpoint on loopback for the test cluster (client credentials, RFC 6749 section 4.4).

    oidc-server.py DIR PORT

DIR holds key.pem (the signing key, whose public half the brokers read from DIR/jwks.json) and other-key.pem (a key
nobody trusts). POST /token with HTTP Basic client_id:secret and grant_type=client_credentials answers an RS256 JWT
whose "sub" is the client's principal. Clients: kp-admin/kp-admin-secret (principal admin, a super user) and
kp-inspector/kp-inspector-secret (principal inspector, Describe only). Paths for the fault tests, same clients:
/malformed/token answers an access token that is not a JWT, /untrusted/token one signed by other-key.pem,
/expired/token one that expired an hour ago, /fail/token an HTTP 500. Standard library and the openssl tool only.
"""
import base64
import json
import subprocess
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR, PORT = sys.argv[1], int(sys.argv[2])
CLIENTS = {"kp-admin": ("kp-admin-secret", "admin"), "kp-inspector": ("kp-inspector-secret", "inspector")}
AUDIENCE = "kafka-planner-test"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(principal, key, lifetime):
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "kid": "kp-test"}
    claims = {"iss": "http://127.0.0.1:%d" % PORT, "sub": principal, "aud": AUDIENCE, "scope": "kafka",
              "iat": now - 5, "exp": now + lifetime}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing_input.encode(),
                               capture_output=True, check=True).stdout
    return signing_input + "." + b64url(signature)


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def client(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return None
        try:
            user, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            return None
        user, secret = urllib.parse.unquote_plus(user), urllib.parse.unquote_plus(secret)
        known = CLIENTS.get(user)
        return known[1] if known and known[0] == secret else None

    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        variant, _, rest = self.path.strip("/").rpartition("/")
        if rest != "token" or variant not in ("", "malformed", "untrusted", "expired", "fail"):
            return self.answer(404, {"error": "not_found"})
        if form.get("grant_type") != ["client_credentials"]:
            return self.answer(400, {"error": "unsupported_grant_type"})
        principal = self.client()
        if principal is None:
            return self.answer(401, {"error": "invalid_client", "error_description": "unknown client or bad secret"})
        if variant == "fail":
            return self.answer(500, {"error": "server_error", "error_description": "the identity provider is down"})
        if variant == "malformed":
            return self.answer(200, {"access_token": "this-is-not-a-jwt", "token_type": "Bearer", "expires_in": 3600})
        key = DIR + ("/other-key.pem" if variant == "untrusted" else "/key.pem")
        lifetime = -3600 if variant == "expired" else 3600
        self.answer(200, {"access_token": jwt(principal, key, lifetime), "token_type": "Bearer", "expires_in": 3600})

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
