"""Return-reason trends, return rates, spikes and the restock plan: the numbers behind the Trends and
Restock screens and `seller-desk export trends|restock`.

pandas is imported inside these modules, never by the start-up path: nothing at start-up imports
this package. The data comes from the store's queries (``seller_desk.store.queries``) as plain rows;
this package holds no SQL and no Qt.
"""
