"""Corpus-level analytics over analysed documents: the leader activity log and elite standing."""
