"""The assistant's tools: the fixed contract (names, arguments) and their implementations."""
