"""A store's side of the shopper auth, as a working example: a store page that embeds the
shopassist widget with the store's public site key, a (toy) sign-in, and the endpoint that
signs the signed-in shopper's short-lived token (a JWT: HS256 with the site's secret).

    # shopassist, told about the site (the same key, origin and secret as below):
    SHOPASSIST_SITES='[{"name": "demo", "key": "pk_demo_0123456789abcdef",
      "origins": ["http://127.0.0.1:8001"], "token_secret": "change-me-to-32-random-bytes!!!!"}]' \\
      shopassist serve --port 8000
    # the store:
    python examples/store_backend.py --port 8001 --shopassist http://127.0.0.1:8000 \\
      --site-key pk_demo_0123456789abcdef --secret change-me-to-32-random-bytes!!!!
    # open http://127.0.0.1:8001/ : chat as a guest, sign in as u1, ask for "my orders"

The sign-in here is a plain cookie naming the user: a real store uses its own login. What
matters is /shopassist-token: only the store's backend holds the secret, and it signs a token
for the user its own session says is signed in.
"""

from __future__ import annotations

import argparse
import html
import time
from urllib.parse import parse_qs

import jwt
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

TOKEN_TTL_S = 300  # short-lived: the widget asks for a new one when it runs out
COOKIE = "store_user"


def sign_shopper_token(user_id: str, site_key: str, secret: str, ttl_s: int = TOKEN_TTL_S) -> str:
    """The token that proves to shopassist that user_id is signed in on the store."""
    now = int(time.time())
    claims = {"sub": user_id, "aud": site_key, "iat": now, "exp": now + ttl_s}
    return jwt.encode(claims, secret, algorithm="HS256")


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example store</title>
<link rel="stylesheet" href="{api}/widget/widget.css"></head>
<body>
<h1>Example store</h1>
<p>{who}</p>
<form method="post" action="/{action}">{field}<button type="submit">{button}</button></form>
<div id="shopassist" class="sa-root" aria-live="polite"></div>
<script src="{api}/widget/widget.js" data-endpoint="{api}" data-site-key="{site_key}"
        data-token-url="/shopassist-token" data-for-you="4" defer></script>
</body></html>
"""


def create_store_app(shopassist_url: str, site_key: str, secret: str) -> FastAPI:
    """The example store: its page, a toy sign-in, and the shopper-token endpoint."""
    app = FastAPI(title="example store")
    api = html.escape(shopassist_url.rstrip("/"))

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> str:
        """The store page with the widget embedded."""
        user = request.cookies.get(COOKIE)
        if user:
            who, action, field, button = (
                f"Signed in as {html.escape(user)}.",
                "logout",
                "",
                "Sign out",
            )
        else:
            who, action, button = "Browsing as a guest.", "login", "Sign in"
            field = '<input name="user" placeholder="user id, e.g. u1">'
        return PAGE.format(
            api=api,
            site_key=html.escape(site_key),
            who=who,
            action=action,
            field=field,
            button=button,
        )

    @app.post("/login")
    async def login(request: Request) -> RedirectResponse:
        """Toy sign-in: a cookie naming the user (a real store has its own login)."""
        form = parse_qs((await request.body()).decode())
        user = (form.get("user") or [""])[0].strip()[:64]
        reply = RedirectResponse("/", status_code=303)
        if not user:
            return reply
        reply.set_cookie(COOKIE, user, httponly=True, samesite="lax")
        return reply

    @app.post("/logout")
    def logout() -> RedirectResponse:
        """Sign out."""
        reply = RedirectResponse("/", status_code=303)
        reply.delete_cookie(COOKIE)
        return reply

    @app.get("/shopassist-token")
    def shopassist_token(request: Request) -> JSONResponse:
        """The signed-in shopper's token for the widget; 401 for a guest."""
        user = request.cookies.get(COOKIE)
        if not user:
            return JSONResponse({"error": "not signed in"}, status_code=401)
        token = sign_shopper_token(user, site_key, secret)
        return JSONResponse({"token": token, "expires_at": int(time.time()) + TOKEN_TTL_S})

    return app


def main() -> None:
    """Serve the example store."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--shopassist", default="http://127.0.0.1:8000")
    parser.add_argument("--site-key", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    app = create_store_app(args.shopassist, args.site_key, args.secret)
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
