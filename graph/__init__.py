"""Store, reasoning and build of the r2pkg knowledge graph."""
