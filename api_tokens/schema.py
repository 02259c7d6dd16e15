"""The OpenAPI description of the token scheme (drf-spectacular), under its old name `tokenAuth`."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class HashedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api_tokens.authentication.HashedTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Send `Authorization: Token <key>`. Keys are issued by an administrator "
                "(`manage.py create_api_token`), shown once, expire (after API_TOKEN_TTL_DAYS, 90 by default) "
                "and can be revoked; an expired or revoked key is answered 401 saying which."
            ),
        }
