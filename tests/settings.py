"""Settings for the test suite: the real settings with a throwaway home and fast hashing."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("EQUAL_OUTCOMES_ENV", "development")
# Always a fresh home, never the developer's var/ (which make exports), and one per pytest-xdist
# worker: the workers run side by side and each writes results, snapshots and keys there.
os.environ["EQUAL_OUTCOMES_HOME"] = tempfile.mkdtemp(
    prefix=f"eo-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
)
os.environ["EQUAL_OUTCOMES_PLAIN_STATIC"] = "1"

from equal_outcomes.settings import *  # noqa: F403

atexit.register(shutil.rmtree, os.environ["EQUAL_OUTCOMES_HOME"], ignore_errors=True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - from the real settings

# Background tasks run at once, in the test's own thread and transaction.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Rate limits count across the whole session (the cache outlives each test's transaction);
# tests of the limits themselves set small ones.
EQUAL_OUTCOMES_SIGN_IN_PER_MINUTE = 100_000
EQUAL_OUTCOMES_SEARCH_PER_MINUTE = 100_000
EQUAL_OUTCOMES_EXPORTS_PER_HOUR = 100_000
EQUAL_OUTCOMES_API_FAILURES_PER_MINUTE = 100_000
