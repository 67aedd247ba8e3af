"""The Amazon SP-API connector of the backend: refunds out through the order adjustment feed, returns
reports in, rate limits kept, and no refund ever sent twice (AMAZON.md §3-4, SYNC.md "Upstream
execution"). Built on python-amazon-sp-api, pointed at Amazon or, in tests, at a fake on 127.0.0.1."""
