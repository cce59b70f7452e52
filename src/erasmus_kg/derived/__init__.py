"""What every build derives from its graphs: the name index (and, next, materialised facts and statistics)."""
