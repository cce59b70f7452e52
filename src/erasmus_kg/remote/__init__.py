"""Triple stores elsewhere, over HTTP.

`http`: the endpoint URL with its credentials, one request, failures as one line, URL redaction.
`sparql`: stored queries on a SPARQL 1.1 Protocol query endpoint (`EndpointTarget`, `open_endpoint`).
`graph_store`: publishing the embedded store's graphs by the SPARQL 1.1 Graph Store Protocol (`publish`).
"""
