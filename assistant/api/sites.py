"""Stores' public site keys and their signed-in shoppers' tokens.

A store embeds one publishable site key in its pages (settings.sites). On its own the key can
search, rewrite and read products, and start an anonymous shopper session; it is honoured only
from the site's origins. A signed-in shopper is proven by a short-lived JWT that the store's
backend signs for the shopper's user id (PyJWT: HS256 with the site's secret, or RS256 with its
public key or JWKS); the claims: `sub` (user id), `aud` (the site key), `iat`, `exp` (at most
settings.shopper_token_max_s after iat).
"""

from __future__ import annotations

import hmac

import jwt

from assistant.config import Settings, Site
from assistant.errors import Forbidden, Unauthorized

LEEWAY_S = 30  # clock skew between the store's backend and this service
MAX_USER_ID = 64


class Sites:
    """The configured sites, and a JWKS client per site that publishes its keys (made once per
    app; the clients cache the store's keys)."""

    def __init__(self, settings: Settings) -> None:
        self.sites = list(settings.sites)
        self.max_age_s = settings.shopper_token_max_s
        self._jwks = {s.name: jwt.PyJWKClient(s.jwks_url) for s in self.sites if s.jwks_url}

    @property
    def origins(self) -> list[str]:
        """Every site's origins (CORS must let their pages call the API)."""
        return sorted({o for s in self.sites for o in s.origins})

    def find(self, raw: str) -> Site | None:
        """The site whose key raw is (compared in constant time), or None."""
        found = None
        for site in self.sites:  # every key is compared: the time says nothing about which
            if hmac.compare_digest(raw.encode(), site.key.encode()):
                found = site
        return found

    def check_origin(self, site: Site, origin: str | None) -> None:
        """Forbidden unless the request comes from one of the site's pages."""
        if not origin or origin not in site.origins:
            raise Forbidden(f"this site key is not valid for origin {origin or '(none)'!r}")

    def shopper(self, site: Site, token: str) -> str:
        """The user id a valid shopper token was signed for; Unauthorized otherwise."""
        try:
            key, algorithms = self._verification_key(site, token)
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=site.key,
                leeway=LEEWAY_S,
                options={"require": ["sub", "exp", "iat", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"invalid shopper token: {exc}") from exc
        sub = claims["sub"]
        if not isinstance(sub, str) or not 0 < len(sub) <= MAX_USER_ID:
            raise Unauthorized(f"invalid shopper token: sub must be 1-{MAX_USER_ID} characters")
        if claims["exp"] - claims["iat"] > self.max_age_s:
            raise Unauthorized(f"invalid shopper token: lives longer than {self.max_age_s} s")
        return sub

    def _verification_key(self, site: Site, token: str) -> tuple[jwt.PyJWK | str, list[str]]:
        if site.name in self._jwks:
            return self._jwks[site.name].get_signing_key_from_jwt(token), ["RS256"]
        if site.token_public_key:
            return site.token_public_key, ["RS256"]
        secret = site.token_secret.get_secret_value()
        if not secret:
            raise jwt.InvalidKeyError("the site has no token key configured")
        return secret, ["HS256"]
