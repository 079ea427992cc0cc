"""The GloriaFood dialect: accepted orders pushed whole with the master key (served from the manifest's corpus)."""
