"""The embedded Oxigraph store on disk: complete builds side by side, manifests, locks, loading files."""
