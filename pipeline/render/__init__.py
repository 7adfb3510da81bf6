"""Render engines: one per format behind one interface, deterministic packaging, atomic writes."""
