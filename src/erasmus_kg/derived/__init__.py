"""What every build derives from its graphs: derived facts, statistics, the name index (docs/derived.md)."""
