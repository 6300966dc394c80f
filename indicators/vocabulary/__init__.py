"""The vocabulary every layer shares: words, codes and text rules, with no storage."""
