"""The domain's workflows: what every surface (GraphQL, the web pages, the CLI) calls.

One module per domain; each reads and writes through :mod:`graphcoord.queries` and decides
what the rules of :mod:`graphcoord.rules` allow, so every surface behaves alike.
"""
