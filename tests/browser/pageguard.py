"""What every browser test holds a page to: every asset is served by the app itself."""
from __future__ import annotations


def only_local_requests(page, base_url: str) -> list[str]:
    """Let requests to base_url (and data: URLs) through; abort and record every other one."""
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(base_url) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return outside
