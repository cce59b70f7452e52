"""The web front, `erasmus-kg serve`: linked-data pages, the stored queries as a web API, a SPARQL endpoint.

- `app`: the ASGI application (Starlette) and its error answers; `server`: running it with uvicorn.
- `config`: the server's settings; `graph`: what requests read (the embedded store's current build, shared
  and switched when a new build is published, or a remote endpoint).
- `negotiation`: media type and language of an answer; `pages`: rendering a page (templates in
  `erasmus_kg/html/templates/web/`).
- One module per part of the site, each listing its routes: `home`, ...

Nothing is imported here: the CLI reads `config` at start-up without loading Starlette.
"""
