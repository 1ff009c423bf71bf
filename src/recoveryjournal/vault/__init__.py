"""The encrypted file: key derivation, key slots, sealed records, the network guard."""
