"""A local HTTP server (http.server in a thread) that serves feeds to the importer in tests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeedServer:
    """Serve `documents[path] = (body_bytes, content_type)`; answers 304 to a matching If-None-Match."""

    def __init__(self):
        self.documents: dict[str, tuple[bytes, str]] = {}
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                if self.path not in server.documents:
                    self.send_error(404, "Not Found")
                    return
                body, content_type = server.documents[self.path]
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", "Mon, 23 Nov 2026 08:00:00 GMT")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(self, path: str, body: str | bytes, content_type: str = "application/rss+xml; charset=utf-8") -> str:
        self.documents[path] = (body.encode() if isinstance(body, str) else body, content_type)
        return self.url(path)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
<title>MMM news</title><link>https://makemothersmatter.org/news</link><description>News</description>
<language>en</language>
{items}
</channel>
</rss>"""

RSS_ITEM = """<item>
<title>{title}</title>
<link>{link}</link>
<guid>{guid}</guid>
<pubDate>{date}</pubDate>
<description>{description}</description>
</item>"""


def rss(*items: dict) -> str:
    return RSS.format(items="\n".join(RSS_ITEM.format(**item) for item in items))
