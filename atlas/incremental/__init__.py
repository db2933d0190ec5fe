"""Incremental: the cache store, the digests of dependencies, decide(), and the stages that use them."""

from .cache import CACHE_DIR, Cache, code_digest
from .steps import (Build, Pages, check_links, copy_assets, index_search, link_sources, plan_work, prepare_output,
                    publish, read_sources, render_pages, write_exports)

__all__ = ["CACHE_DIR", "Build", "Cache", "Pages", "check_links", "code_digest", "copy_assets", "index_search",
           "link_sources", "plan_work", "prepare_output", "publish", "read_sources", "render_pages", "write_exports"]
