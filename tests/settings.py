"""The settings the test process runs under: the portal's own (casco_portal/settings.py), with a
password hasher of one PBKDF2 round instead of Django's million.

Most tests make a user with a password; at about 0.7 s a hash, PBKDF2 was most of those tests'
time. The hasher keeps PBKDF2's name and format (``pbkdf2_sha256$1$salt$hash``), so a hash it makes
is still checked by the production hasher, which reads the rounds from the hash: the servers the
tests start in their own processes (production settings) log the same users in. Servers started
that way, and the probes of production settings, drop ``DJANGO_SETTINGS_MODULE`` and run on
casco_portal.settings alone."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from casco_portal.settings import *  # noqa: F403 (the portal's settings, then the one change)


class OneRoundPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 with one round: the production format at a test's speed (never in production:
    one round makes a password as cheap to guess as its plain SHA-256)."""

    iterations = 1


PASSWORD_HASHERS = ["tests.settings.OneRoundPBKDF2PasswordHasher"]
