"""Domänlagret: katalog, lagring, inläsning och frågor. Importerar aldrig dash eller plotly."""
