"""SPARQL 1.1 Protocol: request parsing, content negotiation and result streaming (no Flask here)."""
