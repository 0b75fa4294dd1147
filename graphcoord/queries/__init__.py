"""Every Cypher statement of graphcoord, one module per domain.

Statements are module-level constants with ``$parameters`` only; functions here take a
:class:`graphcoord.db.Database` and return typed objects. This package is the only place that
knows the graph's labels and relationship types.
"""
