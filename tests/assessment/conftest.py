from tests.insight.conftest import empty_stores

__all__ = ["empty_stores"]
