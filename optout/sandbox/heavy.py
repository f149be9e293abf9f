"""Heavy mode: the weight of LinkedIn's real pages, for the benchmark.

A real settings page pulls megabytes of scripts, dozens of images from a media
host, web fonts, third-party beacons, and keeps a long-poll open that never
finishes (so the network never goes idle); the switch appears only once the
scripts have run. With heavy mode on, every setting page of the sandbox does
the same (see README: The sandbox):

- two large synchronous script bundles (about 1.5 MB and 0.8 MB of real code,
  served after 300 ms each) before the page's own app, which draws the switch
  1.2 s after the bundles ran (late hydration);
- 24 images of about 120 KB (`/dms/image/<id>`, no file extension, as LinkedIn's
  media host serves them), each answered after 0.3 to 1.2 s;
- 3 web fonts of 80 KB used by the page's text;
- beacons: a tracking pixel on a third-party origin (`localhost` instead of
  `127.0.0.1`) and POSTs to `/li/track`, each answered after 1 s;
- `/realtime/connect`, a long-poll held open until the server stops.
"""

from __future__ import annotations

import functools
import re
import struct
import time
import zlib

from optout.sandbox.exchange import Request, Response, Route
from optout.sandbox.pages import Html
from optout.sandbox.state import SandboxState

IMAGES = 24
FONTS = 3
BUNDLES = {"vendor": 1_500_000, "app": 800_000}  # bytes of script in each
RENDER_DELAY_S = 1.2  # the switch appears this long after the bundles ran
SCRIPT_DELAY_S = 0.3
BEACON_DELAY_S = 1.0


def _delay_for(name: str, low: float, high: float) -> float:
    """A fixed delay per asset name between low and high: the same on every run."""
    return low + (zlib.crc32(name.encode()) % 1000) / 1000 * (high - low)


@functools.cache
def _bundle(name: str) -> bytes:
    """Real script: many small functions, so the browser parses and compiles it."""
    size = BUNDLES[name]
    parts = [f"window.__{name}Modules = [\n"]
    length, index = len(parts[0]), 0
    while length < size:
        body = f"const s = 'module-{index}-' + a; return s.length + b;"
        line = f"  function m{index}(a, b) {{ {body} }},\n"
        parts.append(line)
        length += len(line)
        index += 1
    parts.append(f"];\nwindow.__{name}Ready = window.__{name}Modules.length;\n")
    return "".join(parts).encode("utf-8")


@functools.cache
def _image(seed: int) -> bytes:
    """A valid PNG of about 120 KB of noise (stored, not compressed), decoded for real."""
    width, height = 200, 200
    noise = bytearray()
    state = seed * 2654435761 % 2**32 or 1
    for _ in range(height):
        noise.append(0)  # filter: none
        for _ in range(width * 3):
            state = (state * 1103515245 + 12345) % 2**31
            noise.append(state >> 23)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(noise), 0))
        + chunk(b"IEND", b"")
    )


def assets(request: Request) -> Html:
    """What a heavy page adds to its head and body before its own app script."""
    host = (request.headers.get("host") or "127.0.0.1").rsplit(":", 1)
    third_party = f"http://localhost:{host[1]}" if len(host) == 2 else "http://localhost"
    fonts = "".join(
        f'@font-face {{ font-family: "LiSans{n}"; src: url(/sc/h/fonts/li-sans-{n}.woff2) '
        'format("woff2"); }\n'
        for n in range(FONTS)
    )
    families = ", ".join(f'"LiSans{n}"' for n in range(FONTS))
    images = "".join(
        f'<img src="/dms/image/D4E{n:04d}feed" width="1" height="1" alt="">' for n in range(IMAGES)
    )
    return Html(
        f"<style>{fonts}body, p, h1, h2, span {{ font-family: {families}, sans-serif; }}</style>\n"
        f'<div hidden aria-hidden="true">{images}'
        f'<img src="{third_party}/px/collect?pid=1&amp;fmt=gif" alt=""></div>\n'
        '<script src="/sc/h/bundle-vendor.js"></script>\n'
        '<script src="/sc/h/bundle-app.js"></script>\n'
        "<script>\n"
        "fetch('/realtime/connect', {credentials: 'include'}).catch(() => {});\n"
        "for (let i = 0; i < 3; i++) {\n"
        "  fetch('/li/track', {method: 'POST', body: JSON.stringify({event: i}),"
        " keepalive: true}).catch(() => {});\n"
        "}\n"
        "</script>\n"
    )


def _serve(body: bytes, content_type: str, delay_s: float) -> Response:
    time.sleep(delay_s)
    return Response(200, body, [("Content-Type", content_type), ("Cache-Control", "no-store")])


def bundle(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    name = match.group("name")
    if name not in BUNDLES:
        return Response(404, b"", [("Content-Type", "text/plain")])
    state.count_heavy_request("script")
    return _serve(_bundle(name), "text/javascript; charset=utf-8", SCRIPT_DELAY_S)


def image(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    name = match.group("name")
    state.count_heavy_request("image")
    return _serve(_image(zlib.crc32(name.encode())), "image/png", _delay_for(name, 0.3, 1.2))


def font(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    name = match.group("name")
    state.count_heavy_request("font")
    body = bytes((zlib.crc32(name.encode()) + i) % 256 for i in range(80_000))
    return _serve(body, "font/woff2", _delay_for(name, 0.2, 0.6))


def beacon(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    state.count_heavy_request("beacon")
    time.sleep(BEACON_DELAY_S)
    if request.method == "POST":
        return Response(204, b"", [])
    pixel = b"GIF89a\x01\x00\x01\x00\x00\xff\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;"
    return Response(200, pixel, [("Content-Type", "image/gif")])


def long_poll(request: Request, state: SandboxState, match: re.Match[str]) -> Response:
    state.count_heavy_request("long-poll")
    return Response.hang_up()


ROUTES: tuple[Route, ...] = (
    Route(frozenset({"GET"}), re.compile(r"/sc/h/bundle-(?P<name>[a-z]+)\.js"), bundle),
    Route(frozenset({"GET"}), re.compile(r"/sc/h/fonts/(?P<name>[a-z0-9-]+)\.woff2"), font),
    Route(frozenset({"GET"}), re.compile(r"/dms/image/(?P<name>[A-Za-z0-9]+)"), image),
    Route(frozenset({"GET", "POST"}), re.compile(r"/(?:li/track|px/collect)"), beacon),
    Route(frozenset({"GET"}), re.compile(r"/realtime/connect"), long_poll),
)
