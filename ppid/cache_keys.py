"""Emptying the cache of this site only.

`cache.clear()` on Redis empties the whole Redis database (FLUSHDB), the keys of every other
site, test run or benchmark sharing it included; here only the keys under our KEY_PREFIX go."""

from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache

SCAN_BATCH = 500


def clear_own_keys(cache=default_cache) -> int:
    """Remove every key of this cache's prefix; the number removed (local memory: all)."""
    if not isinstance(cache, RedisCache):
        cache.clear()
        return 0
    client = cache._cache.get_client(write=True)
    pattern = cache.make_key("*", version="*")
    removed, batch = 0, []
    for key in client.scan_iter(match=pattern, count=SCAN_BATCH):
        batch.append(key)
        if len(batch) >= SCAN_BATCH:
            removed += client.delete(*batch)
            batch = []
    if batch:
        removed += client.delete(*batch)
    return removed
