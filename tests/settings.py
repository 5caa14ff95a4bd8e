"""Settings for the test suite: the real settings with a throwaway home and fast hashing."""

import os
import tempfile

os.environ.setdefault("EQUAL_OUTCOMES_ENV", "development")
os.environ.setdefault("EQUAL_OUTCOMES_HOME", tempfile.mkdtemp(prefix="eo-test-"))
os.environ["EQUAL_OUTCOMES_PLAIN_STATIC"] = "1"

from equal_outcomes.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - from the real settings

# Background tasks run at once, in the test's own thread and transaction.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Rate limits count across the whole session (the cache outlives each test's transaction);
# tests of the limits themselves set small ones.
EQUAL_OUTCOMES_SIGN_IN_PER_MINUTE = 100_000
EQUAL_OUTCOMES_SEARCH_PER_MINUTE = 100_000
EQUAL_OUTCOMES_EXPORTS_PER_HOUR = 100_000
