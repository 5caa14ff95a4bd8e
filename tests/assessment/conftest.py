from tests.insight.conftest import empty_stores, module_stores

__all__ = ["empty_stores", "module_stores"]
